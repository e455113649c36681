"""/metrics: Prometheus figures move as executions run."""

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import HostFactory, RunningHost, fake
from tests.helpers import actions, finished, start, wait_status

BATCH = "/host/action/executeBatch"


async def scrape(host: RunningHost) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await host.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def test_metrics_move_when_executions_run(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1"), fake("d2")]) as host:
        before = await scrape(host)
        assert before[("host_device_state", (("device", "d1"), ("state", "idle")))] == 1
        assert ("host_executions_started_total", (("kind", "action"),)) not in before

        gated = await start(host.client, BATCH, {"device_id": "d1", "actions": actions("gate")})
        await wait_status(host.client, gated, {"running"})
        waiting = await start(host.client, BATCH, {"device_id": "d1", "actions": actions("ok")})
        busy = await scrape(host)
        assert busy[("host_device_state", (("device", "d1"), ("state", "busy")))] == 1
        assert busy[("host_device_state", (("device", "d1"), ("state", "idle")))] == 0
        assert busy[("host_device_queue_length", (("device", "d1"),))] == 1
        assert busy[("host_device_queue_length", (("device", "d2"),))] == 0
        assert busy[("host_executions_active", ())] == 2

        failing = await start(host.client, BATCH, {"device_id": "d2", "actions": actions("fail")})
        await finished(host.client, failing)
        host.fake("d1").gate.set()
        await finished(host.client, gated)
        await finished(host.client, waiting)
        after = await scrape(host)

    kind = (("kind", "action"),)
    assert after[("host_executions_started_total", kind)] == 3
    assert after[("host_executions_finished_total", (*kind, ("status", "completed")))] == 3
    assert after[("host_execution_run_seconds_count", kind)] == 3
    assert after[("host_execution_run_seconds_sum", kind)] > 0
    assert after[("host_device_queue_length", (("device", "d1"),))] == 0
    assert after[("host_executions_active", ())] == 0


async def test_cancelled_executions_are_counted_by_status(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        gated = await start(host.client, BATCH, {"device_id": "d1", "actions": actions("gate")})
        await wait_status(host.client, gated, {"running"})
        await host.client.post(f"/host/executions/{gated}/cancel")
        await finished(host.client, gated)
        after = await scrape(host)
    labels = (("kind", "action"), ("status", "cancelled"))
    assert after[("host_executions_finished_total", labels)] == 1
