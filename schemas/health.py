"""Health answer of a service."""

from typing import Literal

from pydantic import Field

from schemas.base import ResponseModel


class HealthView(ResponseModel):
    # degraded: alive and serving, but something is wrong (see `problems`)
    status: Literal["ok", "degraded"] = "ok"
    problems: list[str] = Field(
        default_factory=list, description="What is wrong while degraded, e.g. the journal."
    )
    service: str
    name: str
    devices: int = 0
    executions_active: int = 0
