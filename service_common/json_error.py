"""Answering with the shared error body straight from ASGI middleware."""

import json
from typing import Any

from starlette.types import Send


async def send_json_error(
    send: Send,
    status: int,
    code: str,
    message: str,
    *,
    details: Any = None,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Send `{"error", "message", "details"}` with `status`, before any app has answered."""
    body = json.dumps({"error": code, "message": message, "details": details}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
