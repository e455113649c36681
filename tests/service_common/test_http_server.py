"""The services' HTTP protocol: a request head past the bound is refused however it
arrives, and nothing else is."""

import asyncio
from typing import Any

from uvicorn.config import Config
from uvicorn.server import ServerState

from service_common.http_server import MAX_HEADER_BYTES, BoundedHttpToolsProtocol


async def ok_app(scope: Any, receive: Any, send: Any) -> None:
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


class Transport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = b""
        self.closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 9) if name in ("peername", "sockname") else default

    def write(self, data: Any) -> None:
        self.written += bytes(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def feed(*reads: bytes) -> Transport:
    config = Config(app=ok_app, http=BoundedHttpToolsProtocol, log_level="warning")
    config.load()
    protocol = BoundedHttpToolsProtocol(config=config, server_state=ServerState(), app_state={})
    transport = Transport()
    protocol.connection_made(transport)
    for data in reads:
        protocol.data_received(data)
        for _ in range(5):  # let the app answer
            await asyncio.sleep(0)
    return transport


def request(header_bytes: int = 10, body: bytes = b"") -> bytes:
    head = f"POST /x HTTP/1.1\r\nHost: h\r\nX-Pad: {'p' * header_bytes}\r\n"
    return head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


async def test_a_head_past_the_bound_in_one_read_is_refused() -> None:
    transport = await feed(request(MAX_HEADER_BYTES)[:-4])  # never ended
    assert transport.written.startswith(b"HTTP/1.1 431 ")
    assert b'"error": "headers_too_large"' in transport.written
    assert transport.closed


async def test_a_head_growing_in_small_reads_is_refused_as_it_passes_the_bound() -> None:
    reads = [b"GET /x HTTP/1.1\r\nHost: h\r\nX-Big: "] + [b"x" * 1024] * 40
    transport = await feed(*reads)
    assert transport.written.startswith(b"HTTP/1.1 431 ")


async def test_a_small_head_with_a_large_body_and_requests_one_after_another_are_served() -> None:
    big_body = request(body=b"b" * (4 * MAX_HEADER_BYTES))
    transport = await feed(big_body, request(MAX_HEADER_BYTES // 2), request())
    assert transport.written.count(b"HTTP/1.1 200 OK") == 3
    assert not transport.closed
