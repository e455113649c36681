"""Retention: finished records are evicted by count and age; logs are capped."""

from datetime import timedelta

from host_service.engine.record import utcnow
from tests.conftest import HostFactory, fake
from tests.helpers import finished, start, wait_status

BATCH = "/host/action/executeBatch"


async def test_finished_records_are_evicted_oldest_first(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1"), fake("d2")], retention_max_count=3) as host:
        running = await start(
            host.client, BATCH, {"device_id": "d2", "actions": [{"command": "gate"}]}
        )
        await wait_status(host.client, running, {"running"})
        done = []
        for _ in range(4):
            execution_id = await start(
                host.client, BATCH, {"device_id": "d1", "actions": [{"command": "ok"}]}
            )
            await finished(host.client, execution_id)
            done.append(execution_id)
        listing = (await host.client.get("/host/executions")).json()
        assert listing["total"] == 3
        assert (await host.client.get(f"/host/executions/{done[0]}")).status_code == 404
        assert (await host.client.get(f"/host/executions/{done[1]}")).status_code == 404
        # A running execution is never evicted, however full the registry is.
        assert (await host.client.get(f"/host/executions/{running}")).json()["status"] == "running"
        host.fake("d2").gate.set()


async def test_finished_records_expire_by_age(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1"), fake("d2")], retention_max_age_s=3600) as host:
        first = await start(host.client, BATCH, {"device_id": "d1", "actions": [{"command": "ok"}]})
        await finished(host.client, first)
        host.state.registry.clock = lambda: utcnow() + timedelta(hours=2)
        # The next change sweeps expired records; a running one never expires.
        running = await start(
            host.client, BATCH, {"device_id": "d2", "actions": [{"command": "gate"}]}
        )
        assert (await host.client.get(f"/host/executions/{first}")).status_code == 404
        assert (await host.client.get(f"/host/executions/{running}")).status_code == 200
        host.state.registry.clock = utcnow
        host.fake("d2").gate.set()
        assert (await finished(host.client, running))["status"] == "completed"


async def test_captured_logs_are_capped_per_execution(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")], max_log_lines=10) as host:
        body = {"device_id": "d1", "actions": [{"command": "ok", "iterator": 1} for _ in range(30)]}
        execution_id = await start(host.client, BATCH, body)
        await finished(host.client, execution_id)
        view = (
            await host.client.get(f"/host/executions/{execution_id}", params={"include_logs": True})
        ).json()
    logs = view["logs"]
    assert len(logs) == 11
    assert logs[0].endswith("earlier lines dropped")
    assert "main ok passed" in logs[-1]
