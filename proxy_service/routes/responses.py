"""Error responses declared on routes, so the OpenAPI document shows the shared body."""

from typing import Any

from schemas import ErrorBody

_DESCRIPTIONS = {
    401: "Missing or wrong API key or token",
    404: "Unknown host, or the host's own 404 (execution, device, definition)",
    409: "Conflicts with the current state",
    413: "The body is larger than the proxy's limit",
    422: "Invalid request: `details` names each field",
    502: "The host is unreachable or answered something unreadable",
    503: "The host is offline (missed heartbeats or health checks)",
    504: "The host did not answer in time",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in codes}


# What every forwarded route may answer besides its own errors.
FORWARDED = (401, 404, 422, 502, 503, 504)
