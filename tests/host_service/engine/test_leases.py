"""One device runs one execution at a time; different devices run in parallel."""

import asyncio
import itertools
import threading
from datetime import datetime

from host_service.engine.leases import DeviceLeases
from tests.conftest import HostFactory, fake, simulated
from tests.helpers import finished, start, wait_status


async def test_twenty_batches_on_one_device_never_overlap(host_factory: HostFactory) -> None:
    async with host_factory([simulated("tv-1")], latency_scale=0.02) as host:
        body = {
            "device_id": "tv-1",
            "actions": [
                {"command": "press_key", "params": {"key": "RIGHT"}},
                {"command": "press_key", "params": {"key": "BACK"}},
            ],
        }
        ids = await asyncio.gather(
            *(start(host.client, "/host/action/executeBatch", body) for _ in range(20))
        )
        views = [await finished(host.client, execution_id, seconds=30) for execution_id in ids]
        assert {v["status"] for v in views} == {"completed"}
        # As clients see it too: each run starts after the previous one finished.
        runs = sorted(
            (datetime.fromisoformat(v["started_at"]), datetime.fromisoformat(v["finished_at"]))
            for v in views
        )
        for (_, finished_at), (started_at, _) in itertools.pairwise(runs):
            assert started_at >= finished_at
        calls = sorted(
            host.state.devices.get("tv-1").driver.calls.snapshot(), key=lambda c: c.started
        )
        assert len(calls) == 40
        for earlier, later in itertools.pairwise(calls):
            assert later.started >= earlier.finished, f"{later} overlaps {earlier}"
        # Each execution's calls are contiguous: nothing interleaved between them.
        owners = [c.execution_id for c in calls]
        assert all(owners[i] == owners[i + 1] for i in range(0, 40, 2))


async def test_two_devices_run_at_the_same_time(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1"), fake("d2")]) as host:
        ids = [
            await start(
                host.client,
                "/host/action/executeBatch",
                {"device_id": d, "actions": [{"command": "gate"}]},
            )
            for d in ("d1", "d2")
        ]
        # Both gates are still shut: both executions hold their device together.
        for execution_id in ids:
            assert (await wait_status(host.client, execution_id, {"running"}))[
                "status"
            ] == "running"
        devices = (await host.client.get("/host/devices")).json()
        assert {d["device_id"]: d["state"] for d in devices} == {"d1": "busy", "d2": "busy"}
        for device_id in ("d1", "d2"):
            host.fake(device_id).gate.set()
        for execution_id in ids:
            assert (await finished(host.client, execution_id))["status"] == "completed"


async def test_health_answers_while_every_device_is_busy(host_factory: HostFactory) -> None:
    devices = [fake(f"d{i}") for i in range(4)]
    async with host_factory(devices) as host:
        ids = [
            await start(
                host.client,
                "/host/action/executeBatch",
                {"device_id": d["id"], "actions": [{"command": "gate"}]},
            )
            for d in devices
        ]
        for execution_id in ids:
            await wait_status(host.client, execution_id, {"running"})
        health = await asyncio.wait_for(host.client.get("/host/health"), timeout=2)
        assert health.status_code == 200
        assert health.json()["executions_active"] == 4
        for d in devices:
            host.fake(d["id"]).gate.set()


async def test_queue_positions_close_up_as_waiting_executions_leave(
    host_factory: HostFactory,
) -> None:
    batch = "/host/action/executeBatch"
    async with host_factory([fake("d1")]) as host:
        running = await start(
            host.client, batch, {"device_id": "d1", "actions": [{"command": "gate"}]}
        )
        await wait_status(host.client, running, {"running"})
        queued = [
            await start(host.client, batch, {"device_id": "d1", "actions": [{"command": "ok"}]})
            for _ in range(5)
        ]

        async def positions() -> list[int | None]:
            views = [(await host.client.get(f"/host/executions/{i}")).json() for i in queued]
            return [view["queue_position"] for view in views]

        assert await positions() == [1, 2, 3, 4, 5]
        await host.client.post(f"/host/executions/{queued[2]}/cancel")
        await host.client.post(f"/host/executions/{queued[0]}/cancel")
        assert await positions() == [None, 1, None, 2, 3]
        listed = await host.client.get("/host/executions", params={"status": "queued"})
        assert [(i["execution_id"], i["queue_position"]) for i in listed.json()["items"]] == [
            (queued[4], 3),
            (queued[3], 2),
            (queued[1], 1),
        ]
        late = await start(host.client, batch, {"device_id": "d1", "actions": [{"command": "ok"}]})
        assert (await host.client.get(f"/host/executions/{late}")).json()["queue_position"] == 4

        host.fake("d1").gate.set()
        for execution_id in (queued[1], queued[3], queued[4], late):
            assert (await finished(host.client, execution_id))["status"] == "completed"


async def test_a_finished_execution_still_holding_its_lease_shows_idle_not_stuck(
    host_factory: HostFactory,
) -> None:
    """The worker thread records the outcome, then passes the lease on. In between, a
    device whose work came back is idle; one whose work did not is stuck."""
    batch = "/host/action/executeBatch"
    async with host_factory([fake("d1")]) as host:
        done = await start(host.client, batch, {"device_id": "d1", "actions": [{"command": "ok"}]})
        assert (await finished(host.client, done))["status"] == "completed"
        state = host.state
        state.leases.request("d1", done)  # the lease as it was before the loop passed it on
        view = state.device_views.get("d1")
        assert (view.state.value, view.current_execution_id) == ("idle", None)
        state.leases.mark_returned("d1", "some-other-execution")  # its work never came back
        view = state.device_views.get("d1")
        assert (view.state.value, view.current_execution_id) == ("stuck", done)


async def test_the_next_execution_starts_while_the_event_loop_is_held(
    host_factory: HostFactory,
) -> None:
    """The thread whose execution returns starts the next one in line itself: under an
    HTTP flood the loop has no free turn to give, and none is needed."""
    batch = "/host/action/executeBatch"
    async with host_factory([fake("d1")]) as host:
        first = await start(
            host.client, batch, {"device_id": "d1", "actions": [{"command": "gate"}]}
        )
        await wait_status(host.client, first, {"running"})
        second = await start(
            host.client, batch, {"device_id": "d1", "actions": [{"command": "ok"}]}
        )
        driver = host.fake("d1")
        assert driver.entered.acquire(timeout=5)  # the first execution's gate
        driver.gate.set()
        # Held here, on the loop's own thread, until the second execution's call runs.
        assert driver.entered.acquire(timeout=5), "the next execution waited for the loop"
        assert (await finished(host.client, second))["status"] == "completed"
        assert (await finished(host.client, first))["status"] == "completed"


def pass_on_twice_at_once(leases: DeviceLeases, execution_id: str) -> list[str | None]:
    handed: list[str | None] = []
    threads = [
        threading.Thread(target=lambda: handed.append(leases.pass_on("d1", execution_id)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return handed


def test_a_lease_passed_on_by_two_threads_at_once_goes_to_the_next_in_line_once() -> None:
    for _ in range(200):
        leases = DeviceLeases(["d1"])
        assert leases.request("d1", "a")
        assert not leases.request("d1", "b")
        assert not leases.request("d1", "c")
        handed = pass_on_twice_at_once(leases, "a")
        assert sorted(map(str, handed)) == ["None", "b"]
        assert leases.holder("d1") == "b"
        assert leases.queued("d1") == ["c"]
        assert not leases.withdraw("d1", "b")  # the holder leaves only by passing it on
