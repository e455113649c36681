"""Hostile callers: no key, a wrong key, no registration token, host names that try to
reach other addresses, oversized bodies. Routes come from the OpenAPI documents, so a
route added later is covered without touching these tests."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from proxy_service.openapi import document as proxy_document
from tests.conftest import HostFactory
from tests.hostile.routes import operations
from tests.proxy_service.lab import lab_factory

OPEN = {("GET", "/server/health"), ("GET", "/host/health")}
REGISTRATION = {"/server/hosts/register", "/server/hosts/host-1/heartbeat"}
QUIET = {"health_interval_s": 3600}  # no health checks while the test counts outgoing calls


async def test_every_proxy_route_refuses_a_missing_or_wrong_key(tmp_path: Path) -> None:
    async with lab_factory(tmp_path)(api_keys=["k1"], registration_token="reg", **QUIET) as lab:
        before = lab.outgoing()
        routes = operations(proxy_document(), fill="host-1")
        assert len(routes) >= 20
        for route in routes:
            params = {"host_name": "host-1"}
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "k1"}):
                request = route.request(lab.client, params=params, json={}, headers=headers)
                answer = await lab.client.send(request)
                if (route.method, route.path) in OPEN:
                    assert answer.status_code == 200, route
                    continue
                assert answer.status_code == 401, (route, headers, answer.text)
                assert answer.json()["error"] == "unauthorized"
                assert "401" in route.documented, route
            if route.path in REGISTRATION:  # a client's key is not a host's token
                keyed = route.request(lab.client, json={}, headers={"Authorization": "Bearer k1"})
                assert (await lab.client.send(keyed)).status_code == 401, route
        assert lab.outgoing() == before  # refused before anything was forwarded
        hosts = await lab.client.get("/server/hosts", headers={"Authorization": "Bearer k1"})
        assert [h["source"] for h in hosts.json()] == ["config", "config"]


async def test_every_host_route_refuses_a_missing_or_wrong_token(host_factory: HostFactory) -> None:
    async with host_factory(token="t0ken") as host:
        routes = operations(host.app.openapi(), fill="tv-1")
        assert len(routes) > 15
        for route in routes:
            for headers in ({}, {"Authorization": "Bearer t0ke"}, {"Authorization": "t0ken"}):
                answer = await host.client.send(
                    route.request(host.client, json={}, headers=headers)
                )
                if (route.method, route.path) in OPEN:
                    assert answer.status_code == 200, route
                    continue
                assert answer.status_code == 401, (route, headers, answer.text)
                assert "401" in route.documented, route
        assert host.state.registry.page().total == 0


HOSTILE_NAMES = [
    "http://127.0.0.1:22",
    "127.0.0.1:22",
    "169.254.169.254",
    "localhost",
    "evil.example.com",
    "host-1/../../host",
    "host-1@evil.example.com",
    "host-1#",
    "host-1?x=1",
    "..",
    "host-1%2F..",
    "host-1\r\nX-Injected: 1",
    "[::1]",
    "",
    "h" * 500,
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_host_names_that_look_like_addresses_reach_no_one(tmp_path: Path, name: str) -> None:
    async with lab_factory(tmp_path)(**QUIET) as lab:
        before = lab.outgoing()
        listed = await lab.client.get("/server/devices", params={"host_name": name})
        one = await lab.client.get("/server/executions/x", params={"host_name": name})
        started = await lab.client.post(
            "/server/action/executeBatch",
            json={"host_name": name, "device_id": "tv-1", "actions": [{"command": "press_key"}]},
        )
        for answer in (listed, one, started):
            assert answer.status_code in {404, 422}, (name, answer.status_code, answer.text)
            assert answer.json()["error"] in {"host_not_found", "validation_error"}
        assert lab.outgoing() == before
        assert lab.links["*"].calls == []


async def test_registration_needs_its_token_and_an_http_url(tmp_path: Path) -> None:
    device = {"device_id": "tv-1", "name": "TV", "model": "m", "state": "idle"}
    body = {"host_name": "intruder", "url": "http://127.0.0.1:9", "devices": [device]}
    async with lab_factory(tmp_path)(registration_token="reg", **QUIET) as lab:
        for headers in ({}, {"Authorization": "Bearer nope"}):
            refused = await lab.client.post("/server/hosts/register", json=body, headers=headers)
            assert refused.status_code == 401
        token = {"Authorization": "Bearer reg"}
        for url in ("file:///etc/passwd", "gopher://127.0.0.1:70/", "127.0.0.1:9", "javascript:x"):
            bad = await lab.client.post(
                "/server/hosts/register", json={**body, "url": url}, headers=token
            )
            assert bad.status_code == 422, url
            assert bad.json()["details"][0]["loc"] == ["body", "url"]
        hosts = await lab.client.get("/server/hosts")
        assert "intruder" not in {h["host_name"] for h in hosts.json()}


async def chunks(size: int) -> AsyncIterator[bytes]:
    for _ in range(size // 500):
        yield b" " * 500  # no Content-Length: counted as it streams in


async def test_every_route_with_a_body_refuses_an_oversized_one(
    tmp_path: Path, host_factory: HostFactory
) -> None:
    big = {"device_id": "tv-1", "padding": "x" * 3_000}
    json_type = {"content-type": "application/json"}
    async with (
        lab_factory(tmp_path)(max_body_bytes=2_000, **QUIET) as lab,
        host_factory(max_body_bytes=2_000) as host,
    ):
        before = lab.outgoing()
        for client, document in ((lab.client, proxy_document()), (host.client, host.app.openapi())):
            routes = [r for r in operations(document, fill="host-1") if r.has_body]
            assert len(routes) >= 6
            for route in routes:
                declared = await client.send(route.request(client, json=big))
                streamed = await client.send(
                    route.request(client, content=chunks(3_000), headers=json_type)
                )
                for answer in (declared, streamed):
                    assert answer.status_code == 413, (route, answer.text)
                    assert answer.json()["error"] == "payload_too_large"
                assert "413" in route.documented, route
        assert lab.outgoing() == before
        assert host.state.registry.page().total == 0
