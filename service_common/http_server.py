"""How both services' uvicorn servers read requests: with a bound on the request head.

uvicorn's default parser (httptools, when installed) reads a request line and headers of
any size: one 50 MB header was accepted, and ten connections holding unfinished ones
cost a host 550 MB. h11 refuses a head past `h11_max_incomplete_event_size` as it
arrives (400, connection closed), so both services run with h11 and this bound.
"""

from typing import Any

MAX_HEADER_BYTES = 32_768  # the request line and every header together


def server_limits() -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run`."""
    return {"http": "h11", "h11_max_incomplete_event_size": MAX_HEADER_BYTES}
