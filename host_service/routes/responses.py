"""Error responses declared on routes, so the OpenAPI document shows the shared body."""

from typing import Any

from schemas import ErrorBody

_DESCRIPTIONS = {
    401: "Missing or wrong token (when the host has one)",
    404: "Unknown execution, device or definition",
    409: "Conflicts with the execution's current state",
    413: "The body is larger than the host's limit",
    422: "Invalid request: `details` names each field",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in codes}
