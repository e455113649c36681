"""The error base both services build their trees on, and the one place that answers errors.

Each service keeps its own tree (`host_service/errors.py`, `proxy_service/errors.py`)
of `ServiceError` subclasses carrying their HTTP status and error code.
`add_exception_handlers` turns them, FastAPI's validation errors and
Starlette's HTTP errors into the shared `ErrorBody`.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from schemas import ErrorBody


class ServiceError(Exception):
    status_code = 500
    code = "internal_error"

    def __init__(self, message: str, *, details: Any = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code

    def body(self) -> ErrorBody:
        return ErrorBody(error=self.code, message=self.message, details=self.details)


def field_error(loc: list[str | int], msg: str) -> dict[str, Any]:
    """One entry of a 422's `details`, shaped like FastAPI's own validation errors."""
    return {"loc": ["body", *loc], "msg": msg}


def _why_unreadable(cause: BaseException | None) -> str:
    if isinstance(cause, RecursionError):
        return "JSON nested too deeply (objects and arrays within each other)"
    if isinstance(cause, ValueError) and "digits" in str(cause):
        return "a number has more digits than the parser reads (4300)"
    return "not UTF-8 encoded JSON"


def unreadable_body(cause: BaseException | None = None) -> ErrorBody:
    """A body the JSON parser gave up on: one error on the whole body, saying why."""
    why = _why_unreadable(cause)
    return ErrorBody(
        error="validation_error",
        message=f"invalid request: body: {why}",
        details=[{"loc": ["body"], "msg": why, "type": "json_invalid"}],
    )


def error_response(
    status_code: int, body: ErrorBody, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        status_code=status_code, content=body.model_dump(mode="json"), headers=headers
    )


async def _on_service_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return error_response(exc.status_code, exc.body(), headers)


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    fields = ", ".join(".".join(str(p) for p in d["loc"]) for d in details[:5])
    body = ErrorBody(
        error="validation_error", message=f"invalid request: {fields}", details=details
    )
    return error_response(422, body)


async def _on_http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's answer to a body its parser gave up on (not UTF-8, a 5000-digit number,
        # nested past the recursion limit): bad input, like the rest. The cause says which.
        return error_response(422, unreadable_body(exc.__cause__))
    code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
        exc.status_code, "http_error"
    )
    body = ErrorBody(error=code, message=str(exc.detail))
    return error_response(exc.status_code, body, headers=dict(exc.headers or {}))


def add_exception_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _on_service_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
