"""The proxy's /metrics: upstream calls and errors by host, latency, host status."""

from prometheus_client.parser import text_string_to_metric_families

from tests.proxy_service.lab import LabFactory, finished_via

HOME = [{"command": "press_key", "params": {"key": "HOME"}}]


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def test_metrics_count_calls_errors_and_latency_by_host(lab: LabFactory) -> None:
    async with lab() as running:
        started = await running.client.post(
            "/server/action/executeBatch",
            json={"host_name": "host-1", "device_id": "tv-1", "actions": HOME},
        )
        await finished_via(running.client, "host-1", started.json()["execution_id"])
        running.links["host-2"].up = False
        down = await running.client.get("/server/devices/tv-1", params={"host_name": "host-2"})
        assert down.status_code == 502

        response = await running.client.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        found = samples(response.text)
    ok = found[("proxy_upstream_requests_total", (("host", "host-1"), ("outcome", "2xx")))]
    assert ok >= 2  # the start and at least one status read
    assert (
        found[("proxy_upstream_errors_total", (("error", "ConnectError"), ("host", "host-2")))] == 1
    )
    assert found[("proxy_upstream_seconds_count", (("host", "host-1"),))] == ok
    assert found[("proxy_host_status", (("host", "host-2"), ("status", "offline")))] == 1
    assert found[("proxy_host_status", (("host", "host-2"), ("status", "online")))] == 0


async def test_metrics_need_a_key_when_keys_are_configured(lab: LabFactory) -> None:
    async with lab(api_keys=["k1"]) as running:
        assert (await running.client.get("/metrics")).status_code == 401
        allowed = await running.client.get("/metrics", headers={"Authorization": "Bearer k1"})
        assert allowed.status_code == 200
