"""Errors of the proxy service, each carrying its HTTP status and error code.

    ProxyError                     base: status 500, code "internal_error"
    ├── UnauthorizedError          401: missing or wrong API key or registration token
    ├── UnknownHostError           404: host_name is not a key of the host registry
    ├── HostConflictError          409: a registration would change a configured host's URL
    ├── RequestInvalidError        422: well-formed but wrong (host_name missing, ...)
    ├── HostUnreachableError       502: no connection to the host, or it broke off
    ├── BadHostAnswerError         502: the host answered something the shared models reject
    ├── HostOfflineError           503: the host missed its heartbeats or health checks
    ├── ProxyBusyError             503: every connection of the pool is in use
    ├── HostTimeoutError           504: the host accepted the request but did not answer in time
    └── HostAnsweredError          the host's own error, relayed with its status and body

Domain code raises these; `add_exception_handlers` is the one place that turns
them (and FastAPI's own validation errors) into the shared `ErrorBody`.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from host_service.errors import unreadable_body
from schemas import ErrorBody


class ProxyError(Exception):
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


class UnauthorizedError(ProxyError):
    status_code = 401
    code = "unauthorized"


class UnknownHostError(ProxyError):
    status_code = 404
    code = "host_not_found"


class HostConflictError(ProxyError):
    status_code = 409
    code = "host_conflict"


class RequestInvalidError(ProxyError):
    status_code = 422
    code = "validation_error"


class HostUnreachableError(ProxyError):
    status_code = 502
    code = "host_unreachable"


class BadHostAnswerError(ProxyError):
    status_code = 502
    code = "bad_host_answer"


class HostOfflineError(ProxyError):
    status_code = 503
    code = "host_offline"


class ProxyBusyError(ProxyError):
    status_code = 503
    code = "proxy_busy"


class HostTimeoutError(ProxyError):
    status_code = 504
    code = "host_timeout"


class HostAnsweredError(ProxyError):
    """The host answered with an error: relayed as it came, status and body."""

    def __init__(self, status_code: int, content: bytes, media_type: str | None) -> None:
        super().__init__(f"host answered {status_code}", code="host_error")
        self.status_code = status_code
        self.content = content
        self.media_type = media_type

    def body(self) -> ErrorBody:
        try:
            return ErrorBody.model_validate_json(self.content)
        except ValidationError:
            text = self.content[:500].decode(errors="replace")
            return ErrorBody(
                error="host_error", message=f"host answered {self.status_code}: {text}"
            )


def field_error(loc: list[str | int], msg: str) -> dict[str, Any]:
    """One entry of a 422's `details`, shaped like FastAPI's own validation errors."""
    return {"loc": ["body", *loc], "msg": msg}


def error_response(
    status_code: int, body: ErrorBody, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        status_code=status_code, content=body.model_dump(mode="json"), headers=headers
    )


def add_exception_handlers(app: FastAPI) -> None:
    async def on_proxy_error(_: Request, exc: Exception) -> Response:
        if isinstance(exc, HostAnsweredError):
            return Response(exc.content, status_code=exc.status_code, media_type=exc.media_type)
        assert isinstance(exc, ProxyError)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return error_response(exc.status_code, exc.body(), headers)

    async def on_validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        details = [
            {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()
        ]
        fields = ", ".join(".".join(str(p) for p in d["loc"]) for d in details[:5])
        body = ErrorBody(
            error="validation_error", message=f"invalid request: {fields}", details=details
        )
        return error_response(422, body)

    async def on_http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:
            # FastAPI's answer to a body it cannot decode (not UTF-8): bad input, like the rest.
            return error_response(422, unreadable_body())
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status_code, "http_error"
        )
        body = ErrorBody(error=code, message=str(exc.detail))
        return error_response(exc.status_code, body, headers=dict(exc.headers or {}))

    app.add_exception_handler(ProxyError, on_proxy_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
