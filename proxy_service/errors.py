"""Errors of the proxy service, each carrying its HTTP status and error code.

    ProxyError (a ServiceError)    base: status 500, code "internal_error"
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

Domain code raises these; `add_exception_handlers` adds the relay of a host's
own errors to the shared handlers of `service_common.errors`, the one place
that turns errors into the shared `ErrorBody`.
"""

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import ValidationError

from schemas import ErrorBody
from service_common.errors import ServiceError, error_response, field_error, unreadable_body
from service_common.errors import add_exception_handlers as add_shared_handlers

__all__ = [
    "BadHostAnswerError",
    "HostAnsweredError",
    "HostConflictError",
    "HostOfflineError",
    "HostTimeoutError",
    "HostUnreachableError",
    "ProxyBusyError",
    "ProxyError",
    "RequestInvalidError",
    "UnauthorizedError",
    "UnknownHostError",
    "add_exception_handlers",
    "error_response",
    "field_error",
    "unreadable_body",
]


class ProxyError(ServiceError):
    """An error of the proxy service."""


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

    def shared_body(self) -> ErrorBody | None:
        """The host's body if it is the shared error body (so it can be relayed as it is)."""
        try:
            return ErrorBody.model_validate_json(self.content)
        except ValidationError:
            return None

    def body(self) -> ErrorBody:
        return self.shared_body() or self.unreadable().body()

    def unreadable(self) -> BadHostAnswerError:
        return BadHostAnswerError(
            f"the host answered {self.status_code} with a body that is not the shared error body",
            details={"status": self.status_code, "bytes": len(self.content)},
        )


def add_exception_handlers(app: FastAPI) -> None:
    async def on_host_answer(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, HostAnsweredError)
        if exc.shared_body() is None:
            bad = exc.unreadable()
            return error_response(bad.status_code, bad.body())
        return Response(exc.content, status_code=exc.status_code, media_type=exc.media_type)

    add_shared_handlers(app)
    app.add_exception_handler(HostAnsweredError, on_host_answer)
