"""The one error body every service answers with."""

from typing import Any

from schemas.base import ResponseModel


class ErrorBody(ResponseModel):
    """`{"error": code, "message": human line, "details": anything structured}`."""

    error: str
    message: str
    details: Any = None
