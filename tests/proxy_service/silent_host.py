"""Hosts on a real loopback socket that pass health checks and misbehave on the rest.

In the test's own event loop, so the proxy's real timeouts and deadlines are exercised
and the server is always closed with the test.
"""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

Behaviour = Literal["silent", "trickle"]


@asynccontextmanager
async def silent_host(name: str, behaviour: Behaviour = "silent") -> AsyncIterator[str]:
    """Yield the base URL of a host called `name` that, on every route but health, never
    answers (`silent`) or sends its answer one byte every 50 ms, forever (`trickle`)."""
    release = asyncio.Event()
    health = json.dumps({"service": "host", "name": name}).encode()

    async def misbehave(writer: asyncio.StreamWriter) -> None:
        if behaviour == "silent":
            await release.wait()
            return
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n")
        writer.write(b"content-length: 100000\r\n\r\n")
        while not release.is_set():
            writer.write(b" ")
            await writer.drain()
            try:
                await asyncio.wait_for(release.wait(), 0.05)
            except TimeoutError:
                continue

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if not head.split(b" ")[1].startswith(b"/host/health"):
                    await misbehave(writer)
                    return
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    + f"content-length: {len(health)}\r\n\r\n".encode()
                    + health
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        release.set()
        server.close()
        await server.wait_closed()
