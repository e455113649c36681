"""The lab watch: every host's devices, live, read only while someone listens."""

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx

from proxy_service.watch import LabWatch, Subscription
from tests.proxy_service.lab import Lab, LabFactory, in_process_host

ACTIONS = [{"command": "press_key", "params": {"key": "HOME"}, "iterator": 3, "wait_time_ms": 50}]


async def start(lab: Lab, host: str, device: str) -> str:
    answer = await lab.client.post(
        "/server/action/executeBatch",
        json={"host_name": host, "device_id": device, "actions": ACTIONS},
    )
    assert answer.status_code == 202, answer.text
    execution_id: str = answer.json()["execution_id"]
    return execution_id


async def device_event(
    listener: Subscription, want: dict[str, Any], seconds: float = 5
) -> dict[str, Any]:
    """The next `device` event whose fields include `want`."""
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        name, data = await listener.next()
        if name == "device":
            device: dict[str, Any] = json.loads(data)
            if all(device.get(k) == v for k, v in want.items()):
                return device
    raise AssertionError(f"no device event with {want} in {seconds} s")


def devices(snapshot: dict[str, Any]) -> dict[str, str]:
    return {
        f"{d['host_name']}/{d['device_id']}": d["state"]
        for host in snapshot["hosts"]
        for d in host["devices"]
    }


async def test_the_snapshot_lists_every_device_and_says_which_host_did_not_answer(
    lab: LabFactory,
) -> None:
    async with lab(down=("host-3",)) as running:
        answer = await running.client.get("/server/watch")
        assert answer.status_code == 200
        snapshot = answer.json()
        assert devices(snapshot) == {
            "host-1/tv-1": "idle", "host-1/tv-2": "idle",
            "host-2/tv-1": "idle", "host-2/tv-2": "idle",
        }  # fmt: skip
        hosts = {h["host_name"]: h for h in snapshot["hosts"]}
        assert hosts["host-1"]["reachable"] is True
        assert hosts["host-3"]["reachable"] is False
        assert hosts["host-3"]["error"]["error"] == "host_offline"  # the first health round


async def test_a_start_through_the_proxy_shows_at_once_and_its_end_follows(
    lab: LabFactory,
) -> None:
    # Hosts are read once a minute here: what shows the start is the proxy relaying it.
    async with lab(watch_refresh_s=60) as running:
        watch = running_watch(running)
        async with watch.subscribe() as listener:
            assert listener.first[0] == "snapshot"
            execution_id = await start(running, "host-1", "tv-2")
            busy = await device_event(listener, {"device_id": "tv-2", "state": "busy"})
            assert busy["current_execution_id"] == execution_id
            await device_event(listener, {"device_id": "tv-2", "state": "idle"})


async def test_a_start_made_on_the_host_directly_shows_through_its_change_feed(
    lab: LabFactory,
) -> None:
    # Hosts are read once a minute and the proxy relays nothing: only the feed can tell.
    async with lab(watch_refresh_s=60) as running:
        watch = running_watch(running)
        async with watch.subscribe() as listener:
            direct = httpx.AsyncClient(transport=running.links["host-2"].inner, base_url="http://h")
            async with direct:
                answer = await direct.post(
                    "/host/action/executeBatch", json={"device_id": "tv-1", "actions": ACTIONS}
                )
            assert answer.status_code == 202, answer.text
            busy = await device_event(listener, {"host_name": "host-2", "state": "busy"})
            assert busy["current_execution_id"] == answer.json()["execution_id"]
            await device_event(listener, {"host_name": "host-2", "state": "idle"})


class WithoutFeed(httpx.AsyncBaseTransport):
    """A host from before the change feed: its /devices/changes is an unknown device."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.asked = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/host/devices/changes":
            self.asked += 1
            body = {"error": "device_not_found", "message": "no device 'changes'"}
            return httpx.Response(404, json=body)
        return await self.inner.handle_async_request(request)


async def test_a_host_without_the_change_feed_is_read_as_before(
    lab: LabFactory, tmp_path: Path
) -> None:
    async with in_process_host(tmp_path, "old-host", None) as (transport, _):
        old = WithoutFeed(transport)
        mounts: dict[str, httpx.AsyncBaseTransport] = {"http://old-host": old}
        async with lab(hosts={}, external=("old-host",), extra_mounts=mounts) as running:
            async with running_watch(running).subscribe() as listener:
                assert devices(json.loads(listener.first[1])) == {
                    "old-host/tv-1": "idle", "old-host/tv-2": "idle",
                }  # fmt: skip
                execution_id = await start(running, "old-host", "tv-1")  # read at once
                busy = await device_event(listener, {"device_id": "tv-1", "state": "busy"})
                assert busy["current_execution_id"] == execution_id
                await device_event(listener, {"device_id": "tv-1", "state": "idle"})
            assert old.asked == 1


def reading(watch: LabWatch) -> bool:
    return watch.running


def running_watch(running: Lab) -> LabWatch:
    watch = running.watch
    assert isinstance(watch, LabWatch)
    return watch


async def test_devices_of_a_host_that_stops_answering_turn_offline(lab: LabFactory) -> None:
    async with lab(watch_refresh_s=0.1) as running:
        watch = running_watch(running)
        async with watch.subscribe() as listener:
            running.links["host-2"].up = False
            offline = await device_event(listener, {"host_name": "host-2", "state": "offline"})
            assert offline["offline_since"] is not None
            assert watch.snapshot().hosts[1].reachable is False


async def test_the_watch_reads_no_host_once_nobody_listens(lab: LabFactory) -> None:
    async with lab() as running:
        watch = LabWatch(
            running.proxy.registry, running.proxy.client,
            refresh_s=0.1, max_followed=10, first_read_s=1, linger_s=0,
        )  # fmt: skip
        async with watch.subscribe():
            assert reading(watch)
        give_up = time.monotonic() + 2
        while reading(watch):
            assert time.monotonic() < give_up, "still reading hosts with nobody listening"
            await asyncio.sleep(0.01)  # polling an observable condition, with a deadline
        calls = running.outgoing()
        await asyncio.sleep(0.3)  # three refresh intervals: nobody reads
        assert running.outgoing() == calls


async def test_a_listener_that_falls_behind_gets_a_fresh_snapshot_instead_of_its_backlog() -> None:
    snapshots = iter(["first", "second"])
    listener = Subscription(lambda: next(snapshots), limit=3)
    for n in range(5):
        listener.put(("device", str(n)))
    assert await listener.next() == ("snapshot", "second")
    listener.put(("device", "after"))
    assert await listener.next() == ("device", "after")
