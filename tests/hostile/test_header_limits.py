"""Request headers past the services' limit are refused as they arrive, on host and proxy.

Without a limit, one 50 MB header was read whole, and ten connections holding unfinished
50 MB headers cost a host 550 MB. The probe sends a header past the limit and never ends
it: the service must answer (a 4xx) and close instead of waiting for the rest.
"""

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from service_common.http_server import MAX_HEADER_BYTES
from tests.conftest import simulated, write_host_config
from tests.processes import service

CHUNK = b"x" * 4096


@contextmanager
def real_service(kind: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    if kind == "host":
        config = write_host_config(tmp_path / "host.yaml", [simulated("tv-1")])
        args = ["--config", str(config), "--journal", "none", "--log-level", "warning"]
        with service("host_service", *args, health_path="/host/health") as url:
            yield url, "/host/health"
    else:
        with service(
            "proxy_service", "--log-level", "warning", health_path="/server/health"
        ) as url:
            yield url, "/server/health"


def unfinished_header(url: str, path: str, size: int) -> bytes:
    """Send a request whose one header grows past `size` bytes and never ends; return
    what the service answers before it closes (b"" if it only closes)."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nX-Big: ".encode())
        sent = 0
        try:
            while sent < size:
                sock.sendall(CHUNK)
                sent += len(CHUNK)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the service closed the connection while we were still sending
        answer = b""
        try:
            while chunk := sock.recv(65536):  # times out (fails) if the service keeps waiting
                answer += chunk
        except ConnectionResetError:
            pass
        return answer


@pytest.mark.parametrize("kind", ["host", "proxy"])
def test_a_header_past_the_limit_is_refused_without_waiting_for_its_end(
    kind: str, tmp_path: Path
) -> None:
    with real_service(kind, tmp_path) as (url, health):
        answer = unfinished_header(url, health, 4 * MAX_HEADER_BYTES)
        # The answer may be lost to the reset of a connection still sending; if it came,
        # it is the 431 in the shared error body.
        if answer:
            head, _, body = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 431 "), answer[:200]
            assert json.loads(body)["error"] == "headers_too_large"
        # Headers within the limit still work, and the service is still there.
        headers = {"X-Fine": "y" * (MAX_HEADER_BYTES // 2)}
        assert httpx.get(url + health, headers=headers, timeout=10).status_code == 200


def test_a_large_body_read_with_its_small_head_is_not_taken_for_a_large_head(
    tmp_path: Path,
) -> None:
    with real_service("host", tmp_path) as (url, _):
        body = b'{"device_id": "' + b"x" * 900_000 + b'"}'  # one read: head and body
        answer = httpx.post(url + "/host/action/executeBatch", content=body, timeout=10)
        assert answer.status_code == 422, answer.text[:200]  # the body's fault, not the head's
