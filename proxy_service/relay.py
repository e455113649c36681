"""Relay a host's stream as it comes, without hop-by-hop headers.

An event stream goes on in whole events only: a chunk that ends mid-event is held until
the rest arrives, so when the proxy stops it can end the stream cleanly with a last
`stream_end` event saying why. Any other body (an artifact's bytes) goes on chunk by
chunk, to its last byte.
"""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack
from typing import Any

import httpx
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from proxy_service.client import HostClient
from proxy_service.hosts import HostEntry
from schemas.events import STREAM_END

# RFC 9110 section 7.6.1, plus the length: the relayed body is re-framed by our server.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "content-length",
    }
)
_SEPARATORS = (b"\r\n\r\n", b"\n\n", b"\r\r")
# The data of the `stream_end` event that ends a stream when the proxy stops.
PROXY_STOPPING = json.dumps(
    {
        "reason": "proxy_stopping",
        "message": "the proxy is stopping; reconnect with Last-Event-ID to resume",
    }
)
FAREWELL = f"event: {STREAM_END}\ndata: {PROXY_STOPPING}\n\n".encode()


def end_to_end(headers: httpx.Headers) -> dict[str, str]:
    """Headers worth relaying: not hop-by-hop, nor named by the `Connection` header."""
    named = {h.strip().lower() for h in headers.get("connection", "").split(",")}
    return {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP | named}


def complete(buffer: bytes) -> int:
    """Where the last whole event in `buffer` ends (0: none yet)."""
    return max((buffer.rfind(sep) + len(sep) for sep in _SEPARATORS if sep in buffer), default=0)


async def relay_stream(
    client: HostClient,
    entry: HostEntry,
    path: str,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> StreamingResponse:
    """Open the host's stream; errors before its first byte are the usual proxy errors."""
    stack = AsyncExitStack()
    upstream = await stack.enter_async_context(
        client.stream(entry, path, params=params, headers=headers)
    )
    stopping = client.stopping

    events: asyncio.Queue[bytes | None] = asyncio.Queue()

    async def pump() -> None:
        """Read the host's stream in this one task (its pool's reads are bound to a task),
        and pass it on in whole events; `None` once it ends."""
        held = b""
        framed = "text/event-stream" in upstream.headers.get("content-type", "")
        try:
            async for chunk in upstream.aiter_raw():
                held += chunk
                end = complete(held) if framed else len(held)
                if end:
                    events.put_nowait(held[:end])
                    held = held[end:]
            if held:  # the stream ended: what is left is its end, not half an event to hold
                events.put_nowait(held)
        except httpx.TransportError:
            pass  # the host went away; the client resumes with Last-Event-ID
        finally:
            events.put_nowait(None)

    async def body() -> AsyncIterator[bytes]:
        reader = asyncio.create_task(pump())
        try:
            while True:
                received, event = await stopping.race(events.get())
                if not received:
                    yield FAREWELL
                    return
                if event is None:
                    return
                yield event
        finally:
            reader.cancel()
            await asyncio.wait({reader})
            await stack.aclose()

    relayed = end_to_end(upstream.headers)
    media_type = relayed.pop("content-type", None)
    return StreamingResponse(
        body(),
        status_code=upstream.status_code,
        headers=relayed,
        media_type=media_type,
        # Closes the upstream even when the client left before the body was iterated.
        background=BackgroundTask(_close, stack),
    )


async def _close(stack: AsyncExitStack) -> None:
    with contextlib.suppress(Exception):
        await stack.aclose()
