"""Hosts that join at run time: registration at startup, heartbeats, expiry."""

import logging
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest

from host_service.state import HostState
from tests.proxy_service.lab import Lab, LabFactory, Link, finished_via, in_process_host

HOME = [{"command": "press_key", "params": {"key": "HOME"}}]


def joining(
    lab: Lab, tmp_path: Path, **settings: Any
) -> AbstractAsyncContextManager[tuple[httpx.AsyncBaseTransport, HostState]]:
    """Host `host-3` told to register with the lab's proxy, reachable at http://host-3."""
    return in_process_host(
        tmp_path,
        "host-3",
        None,
        proxy_transport=httpx.ASGITransport(app=lab.proxy_app),
        proxy_url="http://proxy",
        advertised_url="http://host-3",
        **settings,
    )


async def hosts(lab: Lab) -> dict[str, dict[str, Any]]:
    return {h["host_name"]: h for h in (await lab.client.get("/server/hosts")).json()}


async def start_on_host_3(lab: Lab) -> httpx.Response:
    return await lab.client.post(
        "/server/action/executeBatch",
        json={"host_name": "host-3", "device_id": "tv-1", "actions": HOME},
    )


async def test_host_registers_at_startup_and_is_reachable(lab: LabFactory, tmp_path: Path) -> None:
    link = Link(None)
    async with (
        lab(extra_mounts={"http://host-3": link}, health_interval_s=3600) as running,
        joining(running, tmp_path) as (transport, _),
    ):
        link.inner, link.up = transport, True
        host = (await hosts(running))["host-3"]
        assert host["source"] == "registered"
        assert host["status"] == "online"
        assert host["url"] == "http://host-3"
        assert host["last_heartbeat"] is not None
        assert [d["device_id"] for d in host["devices"]] == ["tv-1", "tv-2"]
        started = await start_on_host_3(running)
        assert started.status_code == 202
        execution_id = started.json()["execution_id"]
        assert (await finished_via(running.client, "host-3", execution_id))["status"] == "completed"


async def test_missed_heartbeats_make_a_host_offline_until_the_next_one(
    lab: LabFactory, tmp_path: Path
) -> None:
    link = Link(None)
    async with (
        lab(extra_mounts={"http://host-3": link}, health_interval_s=3600) as running,
        joining(running, tmp_path) as (transport, state),
    ):
        link.inner, link.up = transport, True
        # A heartbeat now: a call the proxy made before the link was up (its feed reader
        # starts at the registration) may have marked the host failing meanwhile.
        assert state.announcer is not None
        await state.announcer.beat()
        running.clock.advance(running.proxy.settings.heartbeat_expiry_s + 1)
        assert (await hosts(running))["host-3"]["status"] == "offline"
        before = running.outgoing()
        refused = await start_on_host_3(running)
        assert refused.status_code == 503
        assert refused.json()["error"] == "host_offline"
        assert "heartbeat expired" in refused.json()["message"]
        assert running.outgoing() == before  # failed fast, without calling the host
        await state.announcer.beat()
        assert (await hosts(running))["host-3"]["status"] == "online"
        assert (await start_on_host_3(running)).status_code == 202


async def test_registration_needs_the_registration_token(lab: LabFactory, tmp_path: Path) -> None:
    async with (
        lab(registration_token="reg-token", health_interval_s=3600) as running,
        joining(running, tmp_path) as (_, state),
    ):
        assert state.announcer is not None
        assert state.announcer.registered is False  # the host runs all the same
        assert "host-3" not in await hosts(running)
        # A second process of host-3 meanwhile: its own journal (one host per journal).
        second = {"proxy_registration_token": "reg-token", "journal": "none"}
        async with joining(running, tmp_path, **second) as (_, state):
            assert state.announcer is not None
            assert state.announcer.registered is True
            assert (await hosts(running))["host-3"]["status"] == "online"


async def test_host_starts_while_its_proxy_is_down(tmp_path: Path) -> None:
    async with in_process_host(
        tmp_path,
        "host-3",
        None,
        proxy_transport=Link(None),
        proxy_url="http://proxy",
        advertised_url="http://host-3",
    ) as (transport, state):
        assert state.announcer is not None
        assert state.announcer.registered is False
        async with httpx.AsyncClient(transport=transport, base_url="http://h") as client:
            assert (await client.get("/host/devices")).status_code == 200


async def test_registration_cannot_move_a_configured_host_or_use_a_url_as_name(
    lab: LabFactory,
) -> None:
    async with lab() as running:
        moved = await running.client.post(
            "/server/hosts/register", json={"host_name": "host-1", "url": "http://evil:80"}
        )
        assert moved.status_code == 409
        assert (await hosts(running))["host-1"]["url"] == "http://host-1"
        url_name = await running.client.post(
            "/server/hosts/register", json={"host_name": "http://evil", "url": "http://evil"}
        )
        assert url_name.status_code == 422
        assert url_name.json()["details"][0]["loc"] == ["body", "host_name"]
        unknown = await running.client.post("/server/hosts/nope/heartbeat", json={"devices": []})
        assert unknown.status_code == 404


async def test_a_forgetful_proxy_gets_the_host_registered_again(
    lab: LabFactory, tmp_path: Path
) -> None:
    link = Link(None)
    async with (
        lab(extra_mounts={"http://host-3": link}, health_interval_s=3600) as running,
        joining(running, tmp_path) as (_, state),
    ):
        running.proxy.registry.forget("host-3")  # as after a proxy restart
        assert "host-3" not in await hosts(running)
        assert state.announcer is not None
        await state.announcer.beat()
        assert (await hosts(running))["host-3"]["status"] == "online"


async def test_a_refused_registration_logs_the_proxys_own_message(
    lab: LabFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The proxy's config names host-3 at http://host-3; this host says it is elsewhere.
    async with lab(
        hosts={}, external=("host-3",), extra_mounts={"http://host-3": Link(None)}
    ) as running:
        caplog.set_level(logging.WARNING, logger="device_orchestrator.announcer")
        async with in_process_host(
            tmp_path,
            "host-3",
            None,
            proxy_transport=httpx.ASGITransport(app=running.proxy_app),
            proxy_url="http://proxy",
            advertised_url="http://127.0.0.1:9999",
        ) as (_, state):
            assert state.announcer is not None
            assert state.announcer.registered is False
    logged = [r.getMessage() for r in caplog.records if r.name.endswith(".announcer")]
    assert any("409" in line and "configured at http://host-3" in line for line in logged), logged
