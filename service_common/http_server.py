"""How both services' uvicorn servers read requests: with a bound on the request head.

uvicorn's httptools protocol reads a request line and headers of any size: one 50 MB
header was accepted, and ten connections holding unfinished ones cost a host 550 MB.
h11 has a bound (`h11_max_incomplete_event_size`) but serves a third fewer starts a
second (bench/http_parsers.py), so the services keep httptools and count the bytes of
each request head as they arrive: past `MAX_HEADER_BYTES` the connection gets a 431 in
the shared error body and is closed, holding at most the bound and one read.
"""

import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEADER_BYTES = 32_768  # the request line and every header together

_REFUSAL = json.dumps(
    {
        "error": "headers_too_large",
        "message": f"the request line and headers are over {MAX_HEADER_BYTES:,} bytes",
        "details": None,
    }
).encode()


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing a request head past `MAX_HEADER_BYTES`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # From the end of the message before (or the connection's start) to the end of
        # this one's headers. Not from the parser's message-begin callback: it comes in
        # the middle of the read that it would reset the count of.
        self._in_head = True
        self._head_bytes = 0
        self._refused = False

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._in_head:
            self._head_bytes += len(data)
        super().data_received(data)
        # Checked after parsing: a read that ends the head may carry body bytes too.
        if self._in_head and self._head_bytes > MAX_HEADER_BYTES:
            self._refused = True
            self.transport.write(
                b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                b"content-type: application/json\r\n"
                b"content-length: " + str(len(_REFUSAL)).encode() + b"\r\n"
                b"connection: close\r\n\r\n" + _REFUSAL
            )
            self.transport.close()

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True
        self._head_bytes = 0


def server_limits() -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run`."""
    return {"http": BoundedHttpToolsProtocol}
