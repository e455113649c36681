"""Deadlines: a call that ignores cancellation still times out on time, and the device is stuck."""

import time

from tests.conftest import HostFactory, fake, simulated
from tests.helpers import finished, start, wait_status

BATCH = "/host/action/executeBatch"


async def test_hanging_command_times_out_on_time_and_leaves_device_stuck(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        began = time.monotonic()
        body = {"device_id": "d1", "actions": [{"command": "hang"}], "timeout_s": 0.5}
        execution_id = await start(host.client, BATCH, body)
        view = await finished(host.client, execution_id, seconds=5)
        assert time.monotonic() - began < 0.5 + 1
        assert view["status"] == "timed_out"
        assert view["error"]["code"] == "deadline_exceeded"

        device = (await host.client.get("/host/devices/d1")).json()
        assert device["state"] == "stuck"
        assert device["current_execution_id"] == execution_id
        queued = await start(
            host.client, BATCH, {"device_id": "d1", "actions": [{"command": "ok"}]}
        )
        assert (await host.client.get(f"/host/executions/{queued}")).json()["status"] == "queued"

        host.fake("d1").hang_released.set()  # the call finally returns
        assert (await finished(host.client, queued))["status"] == "completed"
        assert (await host.client.get("/host/devices/d1")).json()["state"] == "idle"


async def test_cooperative_work_stops_at_its_deadline(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        body = {"device_id": "d1", "actions": [{"command": "gate"}], "timeout_s": 0.2}
        view = await finished(host.client, await start(host.client, BATCH, body))
        assert view["status"] == "timed_out"
        assert (await host.client.get("/host/devices/d1")).json()["state"] == "idle"


async def test_simulated_hang_fault_times_out(host_factory: HostFactory) -> None:
    device = simulated("tv-1", faults={"hang_commands": ["press_key"]})
    async with host_factory([device]) as host:
        body = {
            "device_id": "tv-1",
            "actions": [{"command": "press_key", "params": {"key": "OK"}}],
            "timeout_s": 0.3,
        }
        execution_id = await start(host.client, BATCH, body)
        view = await finished(host.client, execution_id)
        assert view["status"] == "timed_out"
        assert (await host.client.get("/host/devices/tv-1")).json()["state"] == "stuck"


async def test_queue_wait_limit(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")], queue_wait_limit_s=0.2) as host:
        running = await start(
            host.client, BATCH, {"device_id": "d1", "actions": [{"command": "gate"}]}
        )
        await wait_status(host.client, running, {"running"})
        waiting = await start(
            host.client, BATCH, {"device_id": "d1", "actions": [{"command": "ok"}]}
        )
        view = await finished(host.client, waiting)
        assert view["status"] == "timed_out"
        assert view["error"]["code"] == "queue_timeout"
        host.fake("d1").gate.set()
        assert (await finished(host.client, running))["status"] == "completed"


async def test_timeout_above_the_kind_maximum_is_422(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        body = {"device_id": "d1", "actions": [{"command": "ok"}], "timeout_s": 10_000}
        response = await host.client.post(BATCH, json=body)
        assert response.status_code == 422
        assert response.json()["details"][0]["loc"] == ["body", "timeout_s"]
        assert (await host.client.get("/host/executions")).json()["total"] == 0
