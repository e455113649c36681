"""Health answer of a service."""

from typing import Literal

from schemas.base import ResponseModel


class HealthView(ResponseModel):
    status: Literal["ok"] = "ok"
    service: str
    name: str
    devices: int = 0
    executions_active: int = 0
