"""Errors of the lab tier, on the proxy's error tree (`proxy_service/errors.py`).

ProxyError
├── NotInHistoryError          404: the execution is not in the lab history
└── BadQueryError              422: a query parameter is wrong (names it)
"""

from typing import Any

from proxy_service.errors import ProxyError


class NotInHistoryError(ProxyError):
    status_code = 404
    code = "execution_not_found"


class BadQueryError(ProxyError):
    status_code = 422
    code = "validation_error"

    def __init__(self, name: str, message: str, *, details: Any = None) -> None:
        super().__init__(
            f"{name}: {message}", details=details or [{"loc": ["query", name], "msg": message}]
        )


class LabConflictError(ProxyError):
    status_code = 409
    code = "conflict"


class UnknownDeviceError(ProxyError):
    status_code = 404
    code = "device_not_found"
