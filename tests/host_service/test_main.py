"""`python -m host_service`: the interface scripts, benchmarks and compose use."""

from pathlib import Path

import httpx

from tests.processes import run_to_exit, service


def test_starts_the_demo_host_and_runs_an_execution(tmp_path: Path) -> None:
    journal = str(tmp_path / "journal.sqlite3")  # not the demo's own journal in examples/var
    with service(
        "host_service", "--latency-scale", "0.01", "--journal", journal, health_path="/host/health"
    ) as url:
        health = httpx.get(url + "/host/health").json()
        assert health["name"] == "demo-host-1"
        assert health["devices"] == 3
        started = httpx.post(
            url + "/host/action/executeBatch",
            json={
                "device_id": "tv-2",
                "actions": [{"command": "press_key", "params": {"key": "GUIDE"}}],
            },
        )
        assert started.status_code == 202
        view = httpx.get(url + started.json()["status_url"], params={"wait": 5}).json()
        while view["status"] in ("queued", "running"):
            view = httpx.get(url + started.json()["status_url"], params={"wait": 5}).json()
        assert view["status"] == "completed"
        assert view["result"]["output_data"] == {"screen": "guide"}


def test_a_broken_config_stops_startup_naming_the_file(tmp_path: Path) -> None:
    config = tmp_path / "host.yaml"
    config.write_text("host_name: x\ndevices: []\n")
    finished = run_to_exit("host_service", "--port", "1", "--config", str(config))
    assert finished.returncode == 2
    assert str(config) in finished.stderr
    assert "devices" in finished.stderr
