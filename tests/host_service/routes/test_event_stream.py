"""Server-sent events and long-polls over real sockets, from a host process."""

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from httpx_sse import aconnect_sse

from tests.helpers import start, wait_status
from tests.host_service.host_process import HostProcess, host_process, long_action

BATCH = "/host/action/executeBatch"


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostProcess]:
    """One host process for the module: each test ends what it starts on it."""
    with host_process(tmp_path_factory.mktemp("stream"), HOST_EVENTS_PING_S="0.05") as running:
        yield running


def steps(count: int, wait_ms: int = 30) -> dict[str, Any]:
    """A batch of `count` key presses on tv-1, each followed by a short wait."""
    key = {"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": wait_ms}
    return {"device_id": "tv-1", "actions": [key] * count}


async def read_stream(
    client: httpx.AsyncClient,
    execution_id: str,
    stop_after: int | None = None,
    headers: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Events of one stream until it ends (or `stop_after` events, then hang up)."""
    received: list[dict[str, Any]] = []
    url = f"/host/executions/{execution_id}/events"
    async with aconnect_sse(client, "GET", url, headers=dict(headers or {})) as source:
        assert source.response.headers["content-type"].startswith("text/event-stream")
        async for sse in source.aiter_sse():
            if not sse.data:  # httpx-sse hands keep-alive comments on as empty events
                continue
            event = json.loads(sse.data)
            assert sse.id == str(event["seq"])
            assert sse.event == event["type"]
            received.append(event)
            if stop_after is not None and len(received) == stop_after:
                break
    return received


async def json_log(client: httpx.AsyncClient, execution_id: str) -> list[dict[str, Any]]:
    page = await client.get(
        f"/host/executions/{execution_id}/events", headers={"accept": "application/json"}
    )
    events: list[dict[str, Any]] = page.json()["events"]
    return events


async def test_a_stream_runs_from_the_start_to_the_terminal_event(host: HostProcess) -> None:
    async with httpx.AsyncClient(base_url=host.url, timeout=30) as client:
        execution_id = await start(client, BATCH, steps(3))
        streamed = await read_stream(client, execution_id)
        logged = await json_log(client, execution_id)
    assert streamed == logged
    assert [e["seq"] for e in streamed] == list(range(1, len(streamed) + 1))
    assert streamed[0]["status"] == "queued"
    assert streamed[-1]["status"] == "completed"
    assert sum(e["type"] == "step_finished" for e in streamed) == 3


async def test_a_resumed_stream_has_no_gap_and_no_duplicate(host: HostProcess) -> None:
    async with httpx.AsyncClient(base_url=host.url, timeout=30) as client:
        execution_id = await start(client, BATCH, steps(6, wait_ms=100))
        first = await read_stream(client, execution_id, stop_after=6)
        assert first[-1]["type"] != "status"  # hung up in the middle of the run
        resume = {"Last-Event-ID": str(first[-1]["seq"])}
        rest = await read_stream(client, execution_id, headers=resume)
        logged = await json_log(client, execution_id)
    assert first + rest == logged
    assert rest[-1]["status"] == "completed"


async def test_an_idle_stream_gets_keep_alives(host: HostProcess) -> None:
    async with httpx.AsyncClient(base_url=host.url, timeout=30) as client:
        body = {"device_id": "tv-1", "actions": [long_action()]}
        execution_id = await start(client, BATCH, body)
        await wait_status(client, execution_id, {"running"})
        url = f"/host/executions/{execution_id}/events"
        pings = 0
        async with client.stream("GET", url) as response:
            async for line in response.aiter_lines():
                pings += line.startswith(": ping")
                if pings == 2:
                    break
        await client.post(f"/host/executions/{execution_id}/cancel")
    assert pings == 2


async def test_long_poll_answers_on_the_change_not_after_the_wait(host: HostProcess) -> None:
    async with httpx.AsyncClient(base_url=host.url, timeout=60) as client:
        body = {"device_id": "tv-1", "actions": [long_action()]}
        running = await start(client, BATCH, body)
        await wait_status(client, running, {"running"})
        queued = await start(client, BATCH, steps(1))
        poll = asyncio.create_task(
            client.get(f"/host/action/execution/{queued}/status", params={"wait": 50})
        )
        await client.post(f"/host/executions/{running}/cancel")
        # Well inside the 50 s wait: the answer comes with the change.
        view = (await asyncio.wait_for(poll, timeout=10)).json()
    assert view["status"] in ("running", "completed")
