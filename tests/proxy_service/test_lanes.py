"""Streams and long-polls have their own lane per host: they never starve requests, a full
lane is 503 proxy_busy at once, and a busy proxy never marks a host offline."""

import asyncio
import time
from typing import Any

import httpx

from tests.proxy_service.lab import Lab, LabFactory

SLEEP = {
    "host_name": "host-1",
    "device_id": "tv-1",
    "blocks": [{"name": "sleep", "params": {"seconds": 25}}],
}
HOME = {
    "host_name": "host-1",
    "device_id": "tv-2",
    "actions": [{"command": "press_key", "params": {"key": "HOME"}}],
}


async def held_until(lab: Lab, lane: str, count: int) -> None:
    give_up = time.monotonic() + 5
    while lab.proxy.client.lanes.held("host-1", lane) < count:  # type: ignore[arg-type]
        assert time.monotonic() < give_up, f"{lane} never reached {count}"
        await asyncio.sleep(0.01)  # polling an observable condition with a deadline


async def test_full_stream_lane_is_busy_at_once_and_requests_still_go_through(
    lab: LabFactory,
) -> None:
    async with lab(max_streams_per_host=3, health_interval_s=3600) as running:
        started = await running.client.post("/server/builder/execute", json=SLEEP)
        assert started.status_code == 202, started.text
        execution_id = started.json()["execution_id"]
        url = f"/server/executions/{execution_id}"
        params: dict[str, Any] = {"host_name": "host-1", "wait": 30}
        polls = [asyncio.create_task(running.client.get(url, params=params)) for _ in range(3)]
        try:
            await held_until(running, "streams", 3)
            began = time.monotonic()
            busy = await running.client.get(url, params=params)
            stream = await running.client.get(f"{url}/events", params={"host_name": "host-1"})
            assert time.monotonic() - began < 1  # at once, not after a pool timeout
            for refused in (busy, stream):
                assert refused.status_code == 503, refused.text
                assert refused.json()["error"] == "proxy_busy"
                assert refused.json()["details"]["lane"] == "streams"
            quick = await running.client.post("/server/action/executeBatch", json=HOME)
            assert quick.status_code == 202, quick.text
            hosts = {h["host_name"]: h for h in (await running.client.get("/server/hosts")).json()}
            assert hosts["host-1"]["status"] != "offline"
        finally:
            cancelled = await running.client.post(f"{url}/cancel", params={"host_name": "host-1"})
            assert cancelled.status_code == 200
            answers = await asyncio.gather(*polls)
        assert [a.status_code for a in answers] == [200, 200, 200]


async def test_full_request_lane_is_busy_and_leaves_the_host_online(lab: LabFactory) -> None:
    gate = asyncio.Event()

    async def slow(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/host/health":
            return httpx.Response(200, json={"service": "host", "name": "slow"})
        if request.url.path == "/host/devices":  # the proxy's monitor reads them
            return httpx.Response(200, json=[])
        await gate.wait()
        return httpx.Response(200, json=[])

    mounts = {"http://slow": httpx.MockTransport(slow)}
    async with lab(
        hosts={}, external=("slow",), extra_mounts=mounts, max_requests_per_host=2
    ) as running:
        calls = [
            asyncio.create_task(
                running.client.get("/server/devices/tv-1", params={"host_name": "slow"})
            )
            for _ in range(2)
        ]
        try:
            give_up = time.monotonic() + 5
            while running.proxy.client.lanes.held("slow", "requests") < 2:
                assert time.monotonic() < give_up
                await asyncio.sleep(0.01)
            busy = await running.client.get("/server/devices/tv-1", params={"host_name": "slow"})
            assert busy.status_code == 503
            assert busy.json()["error"] == "proxy_busy"
            listed = (await running.client.get("/server/devices")).json()["hosts"][0]
            assert listed["reachable"] is False
            assert listed["error"]["error"] == "proxy_busy"
            hosts = (await running.client.get("/server/hosts")).json()
            assert hosts[0]["status"] == "online"
        finally:
            gate.set()
            await asyncio.gather(*calls)
