"""`wait()` follows the event stream, and long-polls the status when the stream fails."""

import httpx

from orchestrator_client import AsyncClient, Client
from schemas import ActionBatchRequest, ExecutionEvent, ExecutionStatus, ExecutionView
from tests.stack import Stack


class NoStreams(httpx.HTTPTransport):
    """A proxy in front of which something breaks event streams: every one answers 502."""

    def __init__(self) -> None:
        super().__init__()
        self.status_waits: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/events"):
            body = {"error": "bad_gateway", "message": "streams are not allowed here"}
            return httpx.Response(502, json=body, request=request)
        if "wait" in request.url.params:
            self.status_waits.append(request.url.params["wait"])
        return super().handle_request(request)


class AsyncNoStreams(httpx.AsyncHTTPTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/events"):
            raise httpx.RemoteProtocolError("connection reset mid-stream", request=request)
        return await super().handle_async_request(request)


def press_keys(stack: Stack, device_id: str) -> ActionBatchRequest:
    return ActionBatchRequest.model_validate(
        {
            "host_name": stack.host_name,
            "device_id": device_id,
            "actions": [
                {"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": 300},
                {"command": "press_key", "params": {"key": "GUIDE"}},
            ],
        }
    )


def test_wait_follows_the_stream(stack: Stack) -> None:
    events: list[ExecutionEvent] = []
    views: list[ExecutionView] = []
    with Client(stack.proxy_url) as client:
        started = client.start(press_keys(stack, "tv-5"))
        view = client.wait(
            started.execution_id, stack.host_name, on_event=events.append, on_view=views.append
        )
    assert view.status is ExecutionStatus.completed
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert len(views) == 1  # the final view only: no polling was needed


def test_wait_falls_back_to_long_polling_when_the_stream_fails(stack: Stack) -> None:
    transport = NoStreams()
    events: list[ExecutionEvent] = []
    with Client(stack.proxy_url, transport=transport) as client:
        started = client.start(press_keys(stack, "tv-6"))
        view = client.wait(started.execution_id, stack.host_name, on_event=events.append)
    assert view.status is ExecutionStatus.completed
    assert view.result is not None
    assert view.result.success
    assert events == []
    assert transport.status_waits  # followed with ?wait=, not a busy loop


async def test_async_wait_falls_back_when_the_connection_drops(stack: Stack) -> None:
    async with AsyncClient(stack.proxy_url, transport=AsyncNoStreams()) as client:
        started = await client.start(press_keys(stack, "tv-7"))
        view = await client.wait(started.execution_id, stack.host_name)
    assert view.status is ExecutionStatus.completed
