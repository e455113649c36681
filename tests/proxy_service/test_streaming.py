"""Event streams relayed unbuffered, without hop-by-hop headers, resumable."""

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx

from tests.proxy_service.lab import Lab, LabFactory, finished_via


class StreamingHost:
    """A fake host whose event stream sends one event, then waits for the test's gate."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.requests: list[httpx.Request] = []

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/host/health":
            return httpx.Response(200, json={"service": "host", "name": "host-sse"})
        if not request.url.path.endswith("/events"):  # the lab tier's device and feed reads
            return httpx.Response(404, json={"error": "not_found", "message": "not here"})
        self.requests.append(request)

        async def events() -> AsyncIterator[bytes]:
            yield b'id: 8\nevent: status\ndata: {"status": "running"}\n\n'
            await self.gate.wait()
            yield b'id: 9\nevent: status\ndata: {"status": "completed"}\n\n'

        return httpx.Response(
            200,
            headers={
                "content-type": "text/event-stream",
                "cache-control": "no-cache",
                "connection": "keep-alive, x-private",
                "keep-alive": "timeout=5",
                "x-private": "hop",
                "x-execution-id": "abc",
            },
            content=events(),
        )


async def call_asgi(
    lab: Lab, path: str, query: bytes, headers: list[tuple[bytes, bytes]], on_body: Any
) -> list[dict[str, Any]]:
    """Drive the proxy's ASGI app directly, seeing each body message as it is sent."""
    sent: list[dict[str, Any]] = []
    done = asyncio.Event()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"proxy"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("proxy", 80),
    }
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body":
            on_body(message.get("body", b""))
            if not message.get("more_body", False):
                done.set()

    await lab.proxy_app(scope, receive, send)
    return sent


async def test_events_pass_through_unbuffered_and_without_hop_by_hop_headers(
    lab: LabFactory,
) -> None:
    fake = StreamingHost()
    mounts = {"http://host-sse": httpx.MockTransport(fake.handle)}
    async with lab(hosts={}, external=("host-sse",), extra_mounts=mounts) as running:
        chunks: list[bytes] = []

        def on_body(chunk: bytes) -> None:
            chunks.append(chunk)
            if b"id: 8" in chunk:
                # The second event exists only once the first one reached the client:
                # a buffering proxy would wait for the end and never get here.
                fake.gate.set()

        sent = await asyncio.wait_for(
            call_asgi(
                running,
                "/server/executions/abc/events",
                b"host_name=host-sse",
                [(b"last-event-id", b"7")],
                on_body,
            ),
            timeout=5,
        )
        start = next(m for m in sent if m["type"] == "http.response.start")
        headers = {k.decode(): v.decode() for k, v in start["headers"]}
        assert start["status"] == 200
        assert headers["content-type"].startswith("text/event-stream")
        assert headers["cache-control"] == "no-cache"
        assert headers["x-execution-id"] == "abc"
        assert not {"connection", "keep-alive", "x-private"} & set(headers)
        body = b"".join(chunks)
        assert body.index(b"id: 8") < body.index(b"id: 9")
        assert fake.requests[0].headers["last-event-id"] == "7"
        assert fake.requests[0].url.path == "/host/executions/abc/events"


async def test_stream_errors_before_the_first_byte_are_proxy_errors(lab: LabFactory) -> None:
    async with lab() as running:
        missing = await running.client.get(
            "/server/executions/nope/events", params={"host_name": "host-1"}
        )
        assert missing.status_code in (404, 405)  # whatever the host answers, relayed
        running.links["host-1"].up = False
        down = await running.client.get(
            "/server/executions/nope/events", params={"host_name": "host-1"}
        )
        assert down.status_code == 502


async def test_a_hosts_event_stream_through_the_proxy_resumes_after_last_event_id(
    lab: LabFactory,
) -> None:
    async with lab() as running:
        started = await running.client.post(
            "/server/action/executeBatch",
            json={
                "host_name": "host-1",
                "device_id": "tv-1",
                "actions": [{"command": "press_key", "params": {"key": "HOME"}}],
            },
        )
        events_url = started.json()["events_url"]
        await finished_via(running.client, "host-1", started.json()["execution_id"])
        # The host ends the stream after the terminal event, so it can be read whole.
        whole = await running.client.get(events_url)
        assert whole.status_code == 200
        assert whole.headers["content-type"].startswith("text/event-stream")
        ids = re.findall(r"^id: (\S+)\r?$", whole.text, re.MULTILINE)
        assert len(ids) >= 2
        assert "completed" in whole.text
        rest = await running.client.get(events_url, headers={"Last-Event-ID": ids[0]})
        assert re.findall(r"^id: (\S+)\r?$", rest.text, re.MULTILINE) == ids[1:]
