"""The lab queue as clients list it (GET /server/lab/queue) and as the watch shows it."""

import asyncio
import json

from proxy_service.watch import LabWatch, Subscription
from tests.proxy_service.lab import LabFactory
from tests.proxy_service.lab_tier.test_dispatch import device, gate, lab_start, until

HOSTS = {"host-1": [device("d1", "solo")]}


async def queued(listener: Subscription, want: list[str]) -> None:
    """Until a `lab_queue` event lists just `want` (5 s at most; other events pass by)."""
    async with asyncio.timeout(5):
        while True:
            name, data = await listener.next()
            if name == "lab_queue":
                page = json.loads(data)
                if [v["execution_id"] for v in page["items"]] == want:
                    assert page["total"] == len(want)
                    return


async def test_the_queue_lists_waiting_requests_in_dispatch_order_with_positions(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(HOSTS, database_url=database_url) as running:
        blocker = await lab_start(running, {"model": "solo"}, "gate")
        await until(running.client, blocker, {"running"})
        low = await lab_start(running, {"model": "solo"})
        high = await lab_start(running, {"model": "solo"}, priority=5)
        gone = await lab_start(running, {"model": "solo"})
        assert (await running.client.post(f"/server/executions/{gone}/cancel")).status_code == 200
        page = (await running.client.get("/server/lab/queue")).json()
        assert page["total"] == 2  # not the running one, nor the cancelled one
        assert [(v["execution_id"], v["queue_position"]) for v in page["items"]] == [
            (high, 1), (low, 2),
        ]  # fmt: skip
        assert {v["status"] for v in page["items"]} == {"queued"}
        second = (await running.client.get("/server/lab/queue", params={"offset": 1})).json()
        assert [v["queue_position"] for v in second["items"]] == [2]
        bad = await running.client.get("/server/lab/queue", params={"limit": 0})
        assert bad.status_code == 422
        gate(running, "host-1", "d1").set()


async def test_the_watch_shows_a_lab_start_at_once_and_its_dispatch(lab: LabFactory) -> None:
    # Read once a minute: what moves the queue here is the start, then the device taking it.
    async with lab(HOSTS, watch_refresh_s=60) as running:
        watch = running.watch
        assert isinstance(watch, LabWatch)
        async with watch.subscribe() as listener:
            first = json.loads(listener.first[1])
            assert first["lab_queue"] == {"items": [], "total": 0}
            blocker = await lab_start(running, {"model": "solo"}, "gate")
            await until(running.client, blocker, {"running"})
            waiting = await lab_start(running, {"model": "solo"})
            await queued(listener, [waiting])
            gate(running, "host-1", "d1").set()  # the blocker ends; the waiting one goes
            await queued(listener, [])
            await until(running.client, waiting, {"completed"})
