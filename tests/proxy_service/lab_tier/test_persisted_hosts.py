"""The host registry lives in the lab store: a restarted proxy still knows every host."""

from pathlib import Path

import pytest

from tests.processes import run_to_exit
from tests.proxy_service.lab import LabFactory, Link, in_process_host

HOME = [{"command": "press_key", "params": {"key": "HOME"}}]
REGISTRATION = {
    "host_name": "host-3",
    "url": "http://host-3",
    "devices": [
        {
            "device_id": "tv-1",
            "name": "TV",
            "model": "simtv-4k",
            "state": "idle",
            "driver": "simulated",
            "tags": ["hdmi-2"],
        }
    ],
}


async def test_a_registered_host_is_known_after_a_proxy_restart(
    lab: LabFactory, tmp_path: Path, database_url: str
) -> None:
    link = Link(None)
    async with lab(
        extra_mounts={"http://host-3": link}, health_interval_s=3600, database_url=database_url
    ) as first:
        assert (await first.client.post("/server/hosts/register", json=REGISTRATION)).is_success
        before = {h["host_name"]: h for h in (await first.client.get("/server/hosts")).json()}
    async with (
        in_process_host(tmp_path, "host-3", None) as (transport, _),
        lab(
            extra_mounts={"http://host-3": Link(transport)},
            health_interval_s=3600,
            database_url=database_url,
        ) as second,
    ):
        after = {h["host_name"]: h for h in (await second.client.get("/server/hosts")).json()}
        assert after["host-3"]["source"] == "registered"
        assert after["host-3"]["url"] == "http://host-3"
        assert after["host-3"]["devices"] == REGISTRATION["devices"]
        assert after["host-3"]["last_heartbeat"] == before["host-3"]["last_heartbeat"]
        assert after["host-3"]["status"] == "online"  # seen moments ago, within the expiry
        # The host's next heartbeat is taken as it is, not answered 404 (register again).
        beat = await second.client.post(
            "/server/hosts/host-3/heartbeat", json={"devices": REGISTRATION["devices"]}
        )
        assert beat.status_code == 200
        started = await second.client.post(
            "/server/action/executeBatch",
            json={"host_name": "host-3", "device_id": "tv-1", "actions": HOME},
        )
        assert started.status_code == 202, started.text


async def test_a_forgotten_host_stays_forgotten_after_a_restart(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(health_interval_s=3600, database_url=database_url) as first:
        await first.client.post("/server/hosts/register", json=REGISTRATION)
        assert (await first.client.delete("/server/hosts/host-3")).status_code == 204
    async with lab(health_interval_s=3600, database_url=database_url) as second:
        names = [h["host_name"] for h in (await second.client.get("/server/hosts")).json()]
        assert "host-3" not in names


def test_a_store_the_proxy_cannot_open_stops_it_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "proxy.yaml"
    config.write_text("hosts: []\n")
    monkeypatch.setenv("PROXY_DATABASE_URL", "postgresql://lab:secret@127.0.0.1:1/lab")
    refused = run_to_exit("proxy_service", "--config", str(config), "--port", "1")
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert lines[0].startswith("proxy_service: cannot open lab store postgresql://lab:***@")
    assert "secret" not in refused.stderr
