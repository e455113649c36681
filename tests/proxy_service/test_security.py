"""API keys for clients, a token from proxy to hosts, and body size limits."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

import host_service.__main__ as host_main
import proxy_service.__main__ as proxy_main
from tests.proxy_service.lab import LabFactory

HOME = [{"command": "press_key", "params": {"key": "HOME"}}]


async def test_api_keys_configured_need_a_bearer_key(lab: LabFactory) -> None:
    async with lab(api_keys=["k-one", "k-two"]) as running:
        running.client.headers.pop("Authorization", None)
        missing = await running.client.get("/server/hosts")
        assert missing.status_code == 401
        assert missing.json()["error"] == "unauthorized"
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = await running.client.get("/server/hosts", headers={"Authorization": "Bearer x"})
        assert wrong.status_code == 401
        right = await running.client.get("/server/hosts", headers={"Authorization": "Bearer k-two"})
        assert right.status_code == 200
        assert (await running.client.get("/server/health")).status_code == 200


async def test_without_keys_the_proxy_is_open(lab: LabFactory) -> None:
    async with lab() as running:
        assert (await running.client.get("/server/hosts")).status_code == 200


async def test_proxy_calls_hosts_with_their_token(lab: LabFactory) -> None:
    async with lab(host_settings={"token": "lab-secret"}, host_token="lab-secret") as running:
        response = await running.client.post(
            "/server/action/executeBatch",
            json={"host_name": "host-1", "device_id": "tv-1", "actions": HOME},
        )
        assert response.status_code == 202
        sent = running.links["host-1"].calls[-1]
        assert sent.headers["authorization"] == "Bearer lab-secret"


async def test_host_with_a_token_refuses_calls_without_it(lab: LabFactory) -> None:
    async with lab(host_settings={"token": "lab-secret"}, host_token="other") as running:
        # Health stays open, so the host is online, but everything else is refused.
        hosts = {h["host_name"]: h for h in (await running.client.get("/server/hosts")).json()}
        assert hosts["host-1"]["status"] == "online"
        refused = await running.client.get("/server/devices/tv-1", params={"host_name": "host-1"})
        assert refused.status_code == 401  # the host's own answer, relayed
        assert "HOST_TOKEN" in refused.json()["message"]


async def test_bodies_over_the_limit_are_a_413(lab: LabFactory) -> None:
    big = [{"command": "press_key", "params": {"key": "HOME" * 100}}] * 50
    async with lab(max_body_bytes=2_000) as running:
        before = running.outgoing()
        body = {"host_name": "host-1", "device_id": "tv-1", "actions": big}
        declared = await running.client.post("/server/action/executeBatch", json=body)
        assert declared.status_code == 413
        assert declared.json()["error"] == "payload_too_large"

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(10):
                yield b" " * 500  # no Content-Length: counted as it streams in

        streamed = await running.client.post(
            "/server/action/executeBatch",
            content=chunks(),
            headers={"content-type": "application/json"},
        )
        assert streamed.status_code == 413
        assert streamed.json()["error"] == "payload_too_large"
        assert running.outgoing() == before  # refused before anything was forwarded


@pytest.mark.parametrize(
    ("main", "env"),
    [
        (proxy_main.main, {}),
        (proxy_main.main, {"PROXY_API_KEYS": "k1"}),  # keys but no registration token
        (host_main.main, {}),
    ],
)
def test_services_refuse_a_public_address_without_credentials(
    monkeypatch: pytest.MonkeyPatch, main: Any, env: dict[str, str]
) -> None:
    started: list[Any] = []
    monkeypatch.setattr(f"{main.__module__}.serve", lambda *a, **k: started.append(a))
    monkeypatch.setenv("HOST_JOURNAL_PATH", "none")  # leave no journal in examples/
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["--bind", "0.0.0.0", "--port", "1"]) == 2
    assert started == []
    assert main(["--bind", "0.0.0.0", "--port", "1", "--insecure"]) == 0
    assert len(started) == 1


def test_services_start_on_a_public_address_with_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[Any] = []
    for module in ("proxy_service.__main__", "host_service.__main__"):
        monkeypatch.setattr(f"{module}.serve", lambda *a, **k: started.append(a))
    monkeypatch.setenv("HOST_JOURNAL_PATH", "none")  # leave no journal in examples/
    monkeypatch.setenv("PROXY_API_KEYS", "k1,k2")
    monkeypatch.setenv("PROXY_REGISTRATION_TOKEN", "reg")
    monkeypatch.setenv("HOST_TOKEN", "ht")
    assert proxy_main.main(["--bind", "0.0.0.0", "--port", "1"]) == 0
    assert host_main.main(["--bind", "0.0.0.0", "--port", "1"]) == 0
    assert len(started) == 2
