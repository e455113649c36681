"""Where the lab learns that a dispatched request ended: its host's feed (one long-poll for
the ends of many executions), else by following the execution itself."""

import asyncio
import time

from proxy_service.lab.queue_rows import LabRequestRow
from tests.proxy_service.lab import Lab, LabFactory
from tests.proxy_service.lab_tier.history import history
from tests.proxy_service.lab_tier.test_dispatch import device, lab_start

HOSTS = {"host-1": [device("d1", "m"), device("d2", "m")]}


async def ended_in_store(lab: Lab, ids: list[str], seconds: float = 10) -> list[LabRequestRow]:
    """The requests' rows once the store has every one ended (read from the store, not
    through the lab's views: those would ask the host)."""
    give_up = time.monotonic() + seconds
    while True:
        rows = [await lab.proxy.lab.lab_request(i) for i in ids]
        done = [r for r in rows if r is not None and r.state == "done"]
        if len(done) == len(ids):
            return done
        assert time.monotonic() < give_up, [(r.id, r.state) for r in rows if r is not None]
        await asyncio.sleep(0.01)  # polled: the condition is the store's rows


def followed(lab: Lab, rows: list[LabRequestRow]) -> set[str]:
    """The requests whose host execution the proxy asked for by itself."""
    paths = {f"/host/executions/{r.host_execution_id}": r.id for r in rows}
    return {paths[c.url.path] for c in lab.links["host-1"].calls if c.url.path in paths}


async def test_ends_come_from_the_feed_with_no_call_per_execution_and_name_their_request(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(HOSTS, database_url=database_url) as running:
        ids = [await lab_start(running, {"model": "m"}) for _ in range(6)]
        rows = await ended_in_store(running, ids)
        assert {r.status for r in rows} == {"completed"}
        assert followed(running, rows) == set()
        assert sum(c.method == "POST" for c in running.links["host-1"].calls) == 6  # starts
        # Recorded in the history in the same transaction, with the lab request it ran for.
        recorded = await history(running.client, host_name="host-1")
        assert {i["lab_execution_id"] for i in recorded} == set(ids)


async def test_on_a_host_without_a_feed_each_execution_is_followed(lab: LabFactory) -> None:
    async with lab(HOSTS, host_settings={"journal": "none"}) as running:
        ids = [await lab_start(running, {"model": "m"}) for _ in range(3)]
        rows = await ended_in_store(running, ids)
        assert {r.status for r in rows} == {"completed"}
        assert followed(running, rows) == set(ids)


async def test_an_end_the_feed_does_not_tell_is_learnt_by_following_it_after_a_while(
    lab: LabFactory,
) -> None:
    async with lab(HOSTS) as running:
        await running.proxy.lab_tier.feed.close()  # as if every end were missed by the feed
        running.proxy.lab_tier.dispatcher.follow_after_s = 0.0
        ids = [await lab_start(running, {"model": "m"}) for _ in range(2)]
        rows = await ended_in_store(running, ids)
        assert {r.status for r in rows} == {"completed"}
        assert followed(running, rows) == set(ids)
