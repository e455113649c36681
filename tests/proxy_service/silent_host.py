"""A host on a real loopback socket that passes health checks and never answers the rest.

In the test's own event loop, so the proxy's real read timeout is exercised and
the server is always closed with the test.
"""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


@asynccontextmanager
async def silent_host(name: str) -> AsyncIterator[str]:
    """Yield the base URL of a host called `name` that hangs on every route but health."""
    release = asyncio.Event()
    health = json.dumps({"service": "host", "name": name}).encode()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if not head.split(b" ")[1].startswith(b"/host/health"):
                    await release.wait()
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
