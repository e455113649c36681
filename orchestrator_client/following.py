"""What the sync and async `wait()` share: event parsing, deadlines, client settings."""

import time
from collections.abc import Callable
from typing import Any

import httpx

from schemas import EXECUTION_EVENT, ExecutionEvent, ExecutionView

# Long-poll length: well under the services' 60 s cap and the client's read timeout.
POLL_WAIT_S = 20.0
EventHandler = Callable[[ExecutionEvent], None]
ViewHandler = Callable[[ExecutionView], None]


def settings(base_url: str, api_key: str | None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    # Reads wait out a long-poll (POLL_WAIT_S) and the stream's keep-alive pings.
    timeout = httpx.Timeout(10.0, read=POLL_WAIT_S + 30.0)
    return {"base_url": base_url, "headers": headers, "timeout": timeout}


def parse_event(data: str) -> ExecutionEvent:
    return EXECUTION_EVENT.validate_json(data)


def remaining(deadline: float | None) -> float:
    """Seconds left before the caller's deadline; TimeoutError once it has passed."""
    if deadline is None:
        return POLL_WAIT_S
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the execution did not finish before the wait's timeout")
    return left
