"""GET /host/devices/changes: every device, then what moved past a cursor, long-polled."""

import asyncio
import time
from typing import Any

import httpx

from tests.conftest import HostFactory, fake
from tests.helpers import finished, start, wait_status

BATCH = "/host/action/executeBatch"
CHANGES = "/host/devices/changes"


async def changes(client: httpx.AsyncClient, **query: Any) -> dict[str, Any]:
    answer = await client.get(CHANGES, params=query)
    assert answer.status_code == 200, answer.text
    page: dict[str, Any] = answer.json()
    return page


def states(page: dict[str, Any]) -> dict[str, str]:
    return {d["device_id"]: d["state"] for d in page["devices"]}


async def test_without_a_cursor_every_device_then_only_what_moved(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1"), fake("d2")]) as host:
        first = await changes(host.client)
        assert first["complete"] is True
        assert states(first) == {"d1": "idle", "d2": "idle"}
        quiet = await changes(host.client, after=first["cursor"])
        assert (quiet["complete"], quiet["devices"], quiet["cursor"]) == (
            False, [], first["cursor"],
        )  # fmt: skip

        running = await start(
            host.client, BATCH, {"device_id": "d2", "actions": [{"command": "gate"}]}
        )
        await wait_status(host.client, running, {"running"})
        moved = await changes(host.client, after=first["cursor"])
        assert states(moved) == {"d2": "busy"}  # d1 did not move
        assert moved["devices"][0]["current_execution_id"] == running
        host.fake("d2").gate.set()
        await finished(host.client, running)


async def test_a_waiting_poll_answers_as_soon_as_a_device_moves(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        cursor = (await changes(host.client))["cursor"]
        poll = asyncio.create_task(changes(host.client, after=cursor, wait=30))
        await asyncio.sleep(0)  # the poll is in flight before the start
        began = time.monotonic()
        execution_id = await start(
            host.client, BATCH, {"device_id": "d1", "actions": [{"command": "gate"}]}
        )
        page = await asyncio.wait_for(poll, 5)
        assert time.monotonic() - began < 1  # the change, not the 30 s wait, answered it
        assert page["devices"][0]["current_execution_id"] == execution_id
        # Its end moves the device again: the next poll from this cursor hears of it.
        host.fake("d1").gate.set()
        cursor = page["cursor"]
        while True:
            page = await changes(host.client, after=cursor, wait=5)
            assert page["devices"], "no change within the wait"
            cursor = page["cursor"]
            if states(page) == {"d1": "idle"}:
                break


async def test_a_slow_reader_gets_each_moved_device_once(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1"), fake("d2")]) as host:
        cursor = (await changes(host.client))["cursor"]
        body = {"device_id": "d1", "actions": [{"command": "ok"}]}
        ended = [await start(host.client, BATCH, body) for _ in range(5)]
        for execution_id in ended:
            await finished(host.client, execution_id)
        page = await changes(host.client, after=cursor)
        assert [d["device_id"] for d in page["devices"]] == ["d1"]
        assert page["devices"][0]["state"] == "idle"


async def test_a_stuck_call_that_returns_is_heard_of(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")], stop_grace_s=0.05) as host:
        body = {"device_id": "d1", "actions": [{"command": "hang"}], "timeout_s": 0.2}
        await finished(host.client, await start(host.client, BATCH, body))
        page = await changes(host.client)
        assert states(page) == {"d1": "stuck"}
        poll = asyncio.create_task(changes(host.client, after=page["cursor"], wait=30))
        await asyncio.sleep(0)
        host.fake("d1").hang_released.set()  # nothing but the worker thread returning
        assert states(await asyncio.wait_for(poll, 5)) == {"d1": "idle"}


async def test_a_cursor_of_another_run_gets_every_device_and_a_bad_one_is_named(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        run = host.state.device_changes.run
        earlier = "00000000" if run != "00000000" else "11111111"  # a restarted host's
        page = await changes(host.client, after=f"{earlier}-0")
        assert page["complete"] is True
        assert states(page) == {"d1": "idle"}
        ahead = f"{run}-99"  # past this run's count: not one it gave
        assert (await changes(host.client, after=ahead))["complete"] is True
        for bad in ("nope", "00000000-", "00000000--1", "x" * 50):
            answer = await host.client.get(CHANGES, params={"after": bad})
            assert answer.status_code == 422, bad
            assert answer.json()["details"][0]["loc"] == ["query", "after"]
        answer = await host.client.get(CHANGES, params={"wait": 61})
        assert answer.status_code == 422
