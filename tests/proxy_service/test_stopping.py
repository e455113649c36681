"""A graceful stop ends long-polls and event streams at once, on the proxy and the host:
a long-poll answers with the current view, a stream ends with a `stream_end` event."""

import asyncio
import json
import time
from typing import Any

import httpx

from service_common.stopping import stopping_of
from tests.conftest import RunningHost
from tests.proxy_service.lab import LabFactory
from tests.proxy_service.test_streaming import StreamingHost, call_asgi

SLEEP = {"device_id": "tv-1", "blocks": [{"name": "sleep", "params": {"seconds": 25}}]}


async def running_sleep(client: Any, prefix: str, **extra: Any) -> str:
    started = await client.post(f"{prefix}/builder/execute", json={**SLEEP, **extra})
    assert started.status_code == 202, started.text
    execution_id: str = started.json()["execution_id"]
    return execution_id


async def test_proxy_long_polls_and_streams_end_at_once_when_it_stops(lab: LabFactory) -> None:
    # In-process hosts answer whole (ASGITransport), so the stream comes from a host that
    # sends one event and then nothing, as a real host does while an execution runs.
    mounts = {"http://host-sse": httpx.MockTransport(StreamingHost().handle)}
    async with lab(hosts={"host-1": None}, external=("host-sse",), extra_mounts=mounts) as running:
        execution_id = await running_sleep(running.client, "/server", host_name="host-1")
        query: dict[str, str | int] = {"host_name": "host-1", "wait": 30}
        poll = asyncio.create_task(
            running.client.get(f"/server/executions/{execution_id}", params=query)
        )
        page = asyncio.create_task(
            running.client.get(
                f"/server/executions/{execution_id}/events",
                params={**query, "after": 1000},
                headers={"Accept": "application/json"},
            )
        )
        chunks: list[bytes] = []
        stream = asyncio.create_task(
            call_asgi(
                running.proxy_app,
                "/server/executions/abc/events",
                b"host_name=host-sse",
                [],
                chunks.append,
            )
        )
        give_up = time.monotonic() + 5
        lanes = running.proxy.client.lanes
        while lanes.held("host-1", "streams") < 2 or not chunks:
            assert time.monotonic() < give_up
            await asyncio.sleep(0.01)  # polling an observable condition with a deadline
        began = time.monotonic()
        running.proxy.client.stopping.begin()  # what serve() does on SIGTERM
        answers = await asyncio.wait_for(asyncio.gather(poll, page, stream), 2)
        took = time.monotonic() - began
        await running.client.post(
            f"/server/executions/{execution_id}/cancel", params={"host_name": "host-1"}
        )
    assert took < 1
    assert answers[0].status_code == 200
    assert answers[0].json()["status"] == "running"
    assert answers[1].status_code == 200
    assert answers[1].json()["events"] == []
    body = b"".join(chunks).decode()
    last = body.strip().split("\n\n")[-1]
    assert last.startswith("event: stream_end")
    assert json.loads(last.split("data: ", 1)[1])["reason"] == "proxy_stopping"


async def test_host_long_polls_and_streams_end_at_once_when_it_stops(host: RunningHost) -> None:
    execution_id = await running_sleep(host.client, "/host")
    poll = asyncio.create_task(
        host.client.get(f"/host/executions/{execution_id}", params={"wait": 30})
    )
    status = asyncio.create_task(
        host.client.get(f"/host/block/execution/{execution_id}/status", params={"wait": 30})
    )
    page = asyncio.create_task(
        host.client.get(
            f"/host/executions/{execution_id}/events",
            params={"wait": 30, "after": 1000},
            headers={"Accept": "application/json"},
        )
    )

    chunks: list[bytes] = []
    path = f"/host/executions/{execution_id}/events"
    followed = asyncio.create_task(
        call_asgi(host.app, path, b"", [], chunks.append, {"host": host.state})
    )
    give_up = time.monotonic() + 5
    while b"event: status" not in b"".join(chunks):
        assert time.monotonic() < give_up
        await asyncio.sleep(0.01)  # polling an observable condition with a deadline
    began = time.monotonic()
    stopping_of(host.app).begin()
    answers = await asyncio.wait_for(asyncio.gather(poll, status, page, followed), 2)
    took = time.monotonic() - began
    await host.client.post(f"/host/executions/{execution_id}/cancel")
    assert took < 1
    for answer in answers[:3]:
        assert answer.status_code == 200
    assert answers[0].json()["status"] == "running"
    body = b"".join(chunks).decode().replace("\r\n", "\n")
    last = body.strip().split("\n\n")[-1]
    assert last.startswith("event: stream_end")
    assert json.loads(last.split("data: ", 1)[1])["reason"] == "host_stopping"
