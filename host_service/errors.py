"""Errors of the host service, each carrying its HTTP status and error code.

    HostError (a ServiceError)     base: status 500, code "internal_error"
    ├── NotFoundError              404: unknown execution, device, definition
    ├── ConflictError              409: the request conflicts with the current state
    ├── RequestInvalidError        422: the body is well-formed JSON but wrong for this host
    ├── UnauthorizedError          401: missing or wrong token
    └── UnavailableError           503: the host cannot take work now (journal cannot write)

Domain code raises these; `service_common.errors.add_exception_handlers` is the
one place that turns them (and FastAPI's own validation errors) into the shared
`ErrorBody`.
"""

from service_common.errors import (
    ServiceError,
    add_exception_handlers,
    error_response,
    field_error,
    unreadable_body,
)

__all__ = [
    "ConflictError",
    "HostError",
    "NotFoundError",
    "RequestInvalidError",
    "UnauthorizedError",
    "UnavailableError",
    "add_exception_handlers",
    "error_response",
    "field_error",
    "unreadable_body",
]


class HostError(ServiceError):
    """An error of the host service."""


class NotFoundError(HostError):
    status_code = 404
    code = "not_found"


class ConflictError(HostError):
    status_code = 409
    code = "conflict"


class RequestInvalidError(HostError):
    status_code = 422
    code = "validation_error"


class UnauthorizedError(HostError):
    status_code = 401
    code = "unauthorized"


class UnavailableError(HostError):
    status_code = 503
    code = "unavailable"
