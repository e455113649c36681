"""The host's token and body limit: what a caller without the token or with a huge body gets."""

from tests.conftest import HostFactory

HOME = [{"command": "press_key", "params": {"key": "HOME"}}]


async def test_host_with_a_token_refuses_calls_without_it(host_factory: HostFactory) -> None:
    async with host_factory(token="s3cret") as host:
        for path in ("/host/devices", "/host/executions", "/host/devices/tv-1", "/metrics"):
            response = await host.client.get(path)
            assert response.status_code == 401, path
            assert response.json()["error"] == "unauthorized"
        wrong = await host.client.get("/host/devices", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        start = await host.client.post(
            "/host/action/executeBatch", json={"device_id": "tv-1", "actions": HOME}
        )
        assert start.status_code == 401
        assert host.state.registry.page().total == 0
        assert (await host.client.get("/host/health")).status_code == 200
        right = await host.client.get("/host/devices", headers={"Authorization": "Bearer s3cret"})
        assert right.status_code == 200
        scrape = await host.client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
        assert scrape.status_code == 200


async def test_host_without_a_token_is_open(host_factory: HostFactory) -> None:
    async with host_factory() as host:
        assert (await host.client.get("/host/devices")).status_code == 200


async def test_host_refuses_bodies_over_its_limit(host_factory: HostFactory) -> None:
    async with host_factory(max_body_bytes=500) as host:
        response = await host.client.post(
            "/host/action/executeBatch", json={"device_id": "tv-1", "actions": HOME * 20}
        )
        assert response.status_code == 413
        assert response.json()["error"] == "payload_too_large"
        assert host.state.registry.page().total == 0
        small = await host.client.post(
            "/host/action/executeBatch", json={"device_id": "tv-1", "actions": HOME}
        )
        assert small.status_code == 202
