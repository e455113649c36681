"""Registration probes of the adversarial run. A registrant may register only with the
token once the proxy has credentials; only plain http(s) URLs to addresses that are not
link-local or unspecified (or inside PROXY_HOST_NETWORKS); never move a configured host
or tell the proxy its devices."""

from pathlib import Path
from typing import Any

import pytest

from tests.processes import run_to_exit
from tests.proxy_service.lab import LabFactory, lab_factory

DEVICE = {"device_id": "fake-tv", "name": "Fake", "model": "m", "state": "idle"}
QUIET = {"health_interval_s": 3600}


@pytest.fixture
def lab(tmp_path: Path) -> LabFactory:
    return lab_factory(tmp_path)


def registration(url: str, name: str = "joiner") -> dict[str, Any]:
    return {"host_name": name, "url": url, "devices": [DEVICE]}


@pytest.mark.parametrize("credentials", [{"api_keys": ["k1"]}, {"host_token": "secret-host-token"}])
async def test_registration_needs_a_token_once_the_proxy_has_credentials(
    lab: LabFactory, credentials: dict[str, Any]
) -> None:
    keyed = {"Authorization": "Bearer k1"}
    async with lab(**credentials, **QUIET) as running:
        refused = await running.client.post(
            "/server/hosts/register", json=registration("http://127.0.0.1:9"), headers=keyed
        )
        assert refused.status_code == 401
        assert "PROXY_REGISTRATION_TOKEN" in refused.json()["message"]
        names = {
            h["host_name"]
            for h in (await running.client.get("/server/hosts", headers=keyed)).json()
        }
        assert "joiner" not in names


REFUSED = [
    ("http://169.254.169.254/", "link-local"),
    ("http://[fe80::1]:9299", "link-local"),
    ("http://[::ffff:169.254.169.254]:80", "link-local"),
    ("http://0:9299", "unspecified"),
    ("http://0.0.0.0:9299", "unspecified"),
    ("http://[::]:9299", "unspecified"),
    ("http://224.0.0.1:9299", "multicast"),
    ("http://user:password@127.0.0.1:9299", "credentials"),
    ("http://127.0.0.1:9299/x?debug=1", "query"),
    ("http://127.0.0.1:9299/#/host", "fragment"),
]


@pytest.mark.parametrize(("url", "why"), REFUSED)
async def test_urls_a_registrant_may_not_name_are_a_422_on_url(
    lab: LabFactory, url: str, why: str
) -> None:
    async with lab(**QUIET) as running:
        refused = await running.client.post("/server/hosts/register", json=registration(url))
        hosts = (await running.client.get("/server/hosts")).json()
    assert refused.status_code == 422, refused.text
    assert refused.json()["details"][0]["loc"] == ["body", "url"]
    assert why in refused.json()["message"]
    assert "joiner" not in {h["host_name"] for h in hosts}
    assert all("@" not in h["url"] for h in hosts)  # never a credential in the listing


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://2130706433:9299", True),  # 127.0.0.1, spelled as one number
        ("http://127.0.0.1:22", True),
        ("http://10.1.2.3:9299", False),
        ("http://192.168.0.7:9299", False),
    ],
)
async def test_host_networks_bound_where_registered_hosts_may_be(
    lab: LabFactory, url: str, allowed: bool
) -> None:
    async with lab(host_networks=["127.0.0.0/8"], **QUIET) as running:
        answer = await running.client.post("/server/hosts/register", json=registration(url))
    if allowed:
        assert answer.status_code == 200, answer.text
        assert answer.json()["url"] == url.replace("2130706433", "127.0.0.1")
    else:
        assert answer.status_code == 422
        assert "PROXY_HOST_NETWORKS" in answer.json()["message"]


async def test_a_configured_host_takes_its_devices_from_itself_not_from_a_registrant(
    lab: LabFactory,
) -> None:
    async with lab(**QUIET) as running:
        url = "http://host-1"
        registered = await running.client.post(
            "/server/hosts/register", json=registration(url, name="host-1")
        )
        beat = await running.client.post(
            "/server/hosts/host-1/heartbeat", json={"devices": [DEVICE]}
        )
        moved = await running.client.post(
            "/server/hosts/register", json=registration("http://127.0.0.1:1", name="host-1")
        )
        hosts = {h["host_name"]: h for h in (await running.client.get("/server/hosts")).json()}
    for answer in (registered, beat):
        assert answer.status_code == 200, answer.text
        assert [d["device_id"] for d in answer.json()["devices"]] == ["tv-1", "tv-2"]
    assert moved.status_code == 409
    assert "configured at http://host-1" in moved.json()["message"]
    assert hosts["host-1"]["url"] == url
    assert [d["device_id"] for d in hosts["host-1"]["devices"]] == ["tv-1", "tv-2"]


async def test_a_config_url_with_credentials_stops_the_proxy_naming_the_item(
    tmp_path: Path,
) -> None:
    config = tmp_path / "proxy.yaml"
    config.write_text("hosts:\n  - name: lab-1\n    url: http://admin:secret@10.0.0.1:8101\n")
    done = run_to_exit("proxy_service", "--config", str(config), "--port", "1")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert str(config) in done.stderr
    assert "hosts[0] (lab-1).url" in done.stderr
    assert "credentials" in done.stderr
    assert "secret" not in done.stderr
