"""Hosts that are unknown, down, offline or slow: a clear error at once, never a hang."""

import socket
import time
from pathlib import Path

import httpx
import pytest
import yaml
from asgi_lifespan import LifespanManager

from proxy_service import ProxySettings, create_app
from proxy_service.client import HostClient
from proxy_service.config import load_proxy_config
from proxy_service.errors import HostUnreachableError
from proxy_service.hosts import HostRegistry
from tests.proxy_service.lab import LabFactory
from tests.proxy_service.silent_host import silent_host

HOME = [{"command": "press_key", "params": {"key": "HOME"}}]


async def test_unknown_host_is_a_404_naming_it(lab: LabFactory) -> None:
    async with lab() as running:
        by_query = await running.client.get("/server/devices/tv-1", params={"host_name": "nope"})
        assert by_query.status_code == 404
        assert by_query.json()["error"] == "host_not_found"
        assert "'nope'" in by_query.json()["message"]
        by_body = await running.client.post(
            "/server/action/executeBatch",
            json={"host_name": "nope", "device_id": "tv-1", "actions": HOME},
        )
        assert by_body.status_code == 404
        assert by_body.json()["error"] == "host_not_found"


@pytest.mark.parametrize(
    "host_name",
    ["http://evil", "../x", "127.0.0.1:22", "evil.com/x", "host-1/../../admin", "//evil", "%2e%2e"],
)
async def test_host_names_that_look_like_addresses_never_leave_the_proxy(
    lab: LabFactory, host_name: str
) -> None:
    async with lab() as running:
        before = running.outgoing()
        query = await running.client.get("/server/executions/abc", params={"host_name": host_name})
        body = await running.client.post(
            "/server/action/executeBatch",
            json={"host_name": host_name, "device_id": "tv-1", "actions": HOME},
        )
        assert query.status_code in (404, 422), query.text
        assert body.status_code in (404, 422), body.text
        assert running.outgoing() == before


async def test_ids_with_path_tricks_are_refused_before_forwarding(lab: LabFactory) -> None:
    async with lab() as running:
        before = running.outgoing()
        response = await running.client.get("/server/executions/..", params={"host_name": "host-1"})
        assert response.status_code in (404, 422)
        library = await running.client.get(
            "/server/library/trees/..%2F..%2Fhealth", params={"host_name": "host-1"}
        )
        assert library.status_code == 422
        assert running.outgoing() == before


async def test_host_down_at_startup_is_offline_with_a_503(lab: LabFactory) -> None:
    async with lab(down=("host-3",)) as running:
        response = await running.client.get("/server/devices/tv-1", params={"host_name": "host-3"})
        assert response.status_code == 503
        assert response.json()["error"] == "host_offline"
        assert "host-3" in response.json()["message"]
        hosts = {h["host_name"]: h for h in (await running.client.get("/server/hosts")).json()}
        assert hosts["host-3"]["status"] == "offline"
        assert hosts["host-1"]["status"] == "online"


async def test_host_that_goes_down_is_a_502_then_offline_until_it_is_back(
    lab: LabFactory,
) -> None:
    async with lab() as running:
        running.links["host-1"].up = False
        started = time.monotonic()
        down = await running.client.get("/server/devices/tv-1", params={"host_name": "host-1"})
        assert down.status_code == 502
        assert down.json()["error"] == "host_unreachable"
        assert time.monotonic() - started < running.proxy.settings.connect_timeout_s
        offline = await running.client.get("/server/devices/tv-1", params={"host_name": "host-1"})
        assert offline.status_code == 503
        running.links["host-1"].up = True
        await running.proxy_monitor_round()
        back = await running.client.get("/server/devices/tv-1", params={"host_name": "host-1"})
        assert back.status_code == 200


async def test_slow_host_is_a_504_after_the_read_timeout(tmp_path: Path) -> None:
    async with silent_host("slow") as url:
        config = tmp_path / "proxy.yaml"
        config.write_text(yaml.safe_dump({"hosts": [{"name": "slow", "url": url}]}))
        settings = ProxySettings(config_path=config, read_timeout_s=0.2, gc_tuning=False)
        app = create_app(settings)
        async with (
            LifespanManager(app, startup_timeout=30) as manager,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app), base_url="http://proxy"
            ) as client,
        ):
            started = time.monotonic()
            response = await client.get("/server/devices/tv-1", params={"host_name": "slow"})
            assert response.status_code == 504
            assert response.json()["error"] == "host_timeout"
            assert time.monotonic() - started < 2
            # A long-poll's own wait is not a timeout: the read timeout grows by it.
            assert manager._state["proxy"].client.timeout(30).read == pytest.approx(30.2)


async def test_refused_connection_is_unreachable_within_the_connect_timeout(
    tmp_path: Path,
) -> None:
    with socket.socket() as sock:  # a port nothing listens on once this block ends
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    config = tmp_path / "proxy.yaml"
    config.write_text(
        yaml.safe_dump({"hosts": [{"name": "gone", "url": f"http://127.0.0.1:{closed_port}"}]})
    )
    settings = ProxySettings(config_path=config, connect_timeout_s=1.0)
    registry = HostRegistry(load_proxy_config(config), settings.heartbeat_expiry_s)
    client = HostClient(settings, registry)
    try:
        started = time.monotonic()
        with pytest.raises(HostUnreachableError):
            await client.health(registry.get("gone"))
        assert time.monotonic() - started < settings.connect_timeout_s
        assert registry.status(registry.get("gone")).value == "offline"
    finally:
        await client.aclose()


async def test_a_broken_connection_is_a_502_saying_the_start_may_have_run(
    lab: LabFactory,
) -> None:
    def breaks(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/host/health":
            return httpx.Response(200, json={"service": "host", "name": "flaky"})
        if request.url.path == "/host/devices":
            return httpx.Response(200, json=[])
        raise httpx.RemoteProtocolError("server disconnected", request=request)

    mounts = {"http://flaky": httpx.MockTransport(breaks)}
    async with lab(hosts={}, external=("flaky",), extra_mounts=mounts) as running:
        answer = await running.client.post(
            "/server/action/executeBatch",
            json={"host_name": "flaky", "device_id": "tv-1", "actions": HOME},
        )
        hosts = (await running.client.get("/server/hosts")).json()
    assert answer.status_code == 502
    assert answer.json()["error"] == "host_unreachable"
    assert "same Idempotency-Key" in answer.json()["message"]
    assert answer.json()["details"]["may_have_run"] is True
    assert hosts[0]["status"] == "online"  # it answered health: broken once is not down
