"""Devices and clients that misbehave: a TV that hangs, one that disconnects, a client that
drops its event stream. Each execution ends with a clear status; nothing is left behind."""

import json
from pathlib import Path
from typing import Any

import httpx
from httpx_sse import aconnect_sse

from schemas import ExecutionKind
from tests.hostile.real_lab import real_lab
from tests.hostile.workload import Started, follow

HANGS: dict[str, Any] = {"faults": {"hang_commands": ["press_key"]}}
DROPS: dict[str, Any] = {"faults": {"disconnect_after_calls": 2}}
KEY = {"command": "press_key", "params": {"key": "HOME"}}


async def start(client: httpx.AsyncClient, device_id: str, **body: Any) -> Started:
    body = {"host_name": "host-1", "device_id": device_id, "actions": [KEY], **body}
    response = await client.post("/server/action/executeBatch", json=body)
    assert response.status_code == 202, response.text
    return Started("host-1", device_id, ExecutionKind.action, response.json()["execution_id"])


async def device(client: httpx.AsyncClient, device_id: str) -> dict[str, Any]:
    response = await client.get(f"/server/devices/{device_id}", params={"host_name": "host-1"})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def events(
    client: httpx.AsyncClient, item: Started, last_id: str | None = None, stop_after: int = 0
) -> list[dict[str, Any]]:
    """Server-sent events through the proxy; with `stop_after`, hang up after that many."""
    headers = {} if last_id is None else {"Last-Event-ID": last_id}
    url = f"/server/executions/{item.execution_id}/events?host_name=host-1"
    received: list[dict[str, Any]] = []
    async with aconnect_sse(client, "GET", url, headers=headers) as source:
        async for sse in source.aiter_sse():
            if sse.data:
                received.append(json.loads(sse.data))
            if len(received) == stop_after:
                break
    return received


async def test_hung_and_disconnected_devices_end_their_executions_with_clear_errors(
    tmp_path: Path,
) -> None:
    faults = {"tv-01": HANGS, "tv-02": DROPS}
    with real_lab(tmp_path, hosts=1, devices_per_host=3, device_settings=faults) as lab:
        async with httpx.AsyncClient(base_url=lab.proxy.url, timeout=30) as client:
            hung = await follow(client, await start(client, "tv-01", timeout_s=0.5))
            stuck = await device(client, "tv-01")
            behind = await start(client, "tv-01")
            queued = await client.get(
                f"/server/executions/{behind.execution_id}", params={"host_name": "host-1"}
            )
            cancelled = await client.post(
                f"/server/executions/{behind.execution_id}/cancel", params={"host_name": "host-1"}
            )
            dropped = [await follow(client, await start(client, "tv-02")) for _ in range(3)]
            offline = await device(client, "tv-02")
            fine = await follow(client, await start(client, "tv-03"))

    assert hung["status"] == "timed_out"
    assert hung["error"]["code"] == "deadline_exceeded"
    assert stuck["state"] == "stuck"  # the hung call still holds the device
    assert queued.json()["status"] == "queued"  # waits behind it; never runs alongside
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert [v["status"] for v in dropped] == ["completed", "completed", "error"]
    assert dropped[2]["error"]["code"] == "device_disconnected"
    assert offline["state"] == "offline"
    assert fine["status"] == "completed"


async def test_a_client_that_drops_its_event_stream_resumes_with_last_event_id(
    tmp_path: Path,
) -> None:
    slow = {**KEY, "iterator": 5, "wait_time_ms": 100}
    with real_lab(tmp_path, hosts=1, devices_per_host=1) as lab:
        async with httpx.AsyncClient(base_url=lab.proxy.url, timeout=30) as client:
            item = await start(client, "tv-01", actions=[slow])
            first = await events(client, item, stop_after=2)  # then hangs up mid-run
            health = await client.get("/server/health")
            rest = await events(client, item, last_id=str(first[-1]["seq"]))
            view = await follow(client, item)
            again = await client.get(
                f"/server/executions/{item.execution_id}/events",
                params={"host_name": "host-1"},
                headers={"Last-Event-ID": str(rest[-1]["seq"])},
            )

    assert health.status_code == 200
    assert view["status"] == "completed"
    seqs = [event["seq"] for event in [*first, *rest]]
    assert seqs == list(range(1, len(seqs) + 1))  # nothing missed, nothing twice
    assert rest[-1]["type"] == "status"
    assert rest[-1]["status"] == "completed"
    assert again.status_code == 204  # after the end: an EventSource stops reconnecting
