"""Cancel: a queued execution leaves its queue at once, a running one stops at its next check."""

import asyncio

from tests.conftest import HostFactory, fake
from tests.helpers import finished, start, wait_status

BATCH = "/host/action/executeBatch"


async def test_cancel_while_queued_leaves_the_queue(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        running = await start(
            host.client, BATCH, {"device_id": "d1", "actions": [{"command": "gate"}]}
        )
        await wait_status(host.client, running, {"running"})
        queued = [
            await start(host.client, BATCH, {"device_id": "d1", "actions": [{"command": "ok"}]})
            for _ in range(2)
        ]

        response = await host.client.post(f"/host/executions/{queued[0]}/cancel")
        assert response.status_code == 200
        assert response.json()["status"] == "cancelled"
        device = (await host.client.get("/host/devices/d1")).json()
        assert device["queued_execution_ids"] == [queued[1]]
        second = (await host.client.get(f"/host/executions/{queued[1]}")).json()
        assert second["queue_position"] == 1

        host.fake("d1").gate.set()
        assert (await finished(host.client, queued[1]))["status"] == "completed"
        view = (await host.client.get(f"/host/executions/{queued[0]}")).json()
        assert view["status"] == "cancelled"
        assert view["started_at"] is None
        # The cancelled one never reached the driver.
        owners = {c.execution_id for c in host.fake("d1").calls.snapshot()}
        assert queued[0] not in owners


async def test_cancel_while_running_stops_at_the_next_check(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        body = {"device_id": "d1", "actions": [{"command": "gate"}, {"command": "ok"}]}
        execution_id = await start(host.client, BATCH, body)
        # Running is reported before the thread reaches the driver; wait for the call itself.
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)
        response = await host.client.post(f"/host/executions/{execution_id}/cancel")
        assert response.status_code == 200
        view = await finished(host.client, execution_id)
        assert view["status"] == "cancelled"
        assert [c.operation for c in host.fake("d1").calls.snapshot()] == ["gate"]
        device = (await host.client.get("/host/devices/d1")).json()
        assert device["state"] == "idle"


async def test_cancel_during_a_wait_time(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        body = {"device_id": "d1", "actions": [{"command": "ok", "wait_time_ms": 600_000}]}
        execution_id = await start(
            host.client,
            BATCH,
            body,
        )
        await wait_status(host.client, execution_id, {"running"})
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)
        await host.client.post(f"/host/executions/{execution_id}/cancel")
        assert (await finished(host.client, execution_id, seconds=5))["status"] == "cancelled"


async def test_cancel_finished_is_409_and_unknown_is_404(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(
            host.client, BATCH, {"device_id": "d1", "actions": [{"command": "ok"}]}
        )
        await finished(host.client, execution_id)
        conflict = await host.client.post(f"/host/executions/{execution_id}/cancel")
        assert conflict.status_code == 409
        assert conflict.json()["error"] == "execution_finished"
        assert (await host.client.get(f"/host/executions/{execution_id}")).json()[
            "status"
        ] == "completed"
        missing = await host.client.post("/host/executions/no-such-id/cancel")
        assert missing.status_code == 404
        assert missing.json()["error"] == "execution_not_found"
