"""Relay a host's answer as it streams, unbuffered, without hop-by-hop headers."""

import contextlib
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack
from typing import Any

import httpx
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from proxy_service.client import HostClient
from proxy_service.hosts import HostEntry

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


def end_to_end(headers: httpx.Headers) -> dict[str, str]:
    """Headers worth relaying: not hop-by-hop, nor named by the `Connection` header."""
    named = {h.strip().lower() for h in headers.get("connection", "").split(",")}
    return {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP | named}


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

    async def body() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream.aiter_raw():
                yield chunk
        except httpx.TransportError:
            return  # the host went away mid-stream; the client resumes with Last-Event-ID
        finally:
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
