"""`python -m host_service`: the interface scripts, benchmarks and compose use."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import UI_MODEL, simulated, write_host_config
from tests.processes import REPO, run_to_exit, service


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


@pytest.mark.parametrize(
    ("device", "named"),
    [
        ({"driver": "teleport"}, "driver: unknown driver 'teleport'"),
        ({"settings": {}}, "settings.ui_model: Field required"),
        ({"settings": {"ui_model": "missing.yaml"}}, "settings.ui_model: file not found"),
        (
            {"settings": {"ui_model": str(UI_MODEL), "faults": {"sed": 1}}},
            "settings.faults.sed: Extra inputs are not permitted",
        ),
        ({"settings": {"ui_model": "broken.yaml"}}, "settings.ui_model: cannot load"),
    ],
)
def test_a_driver_settings_mistake_stops_startup_in_one_line(
    tmp_path: Path, device: dict[str, Any], named: str
) -> None:
    (tmp_path / "broken.yaml").write_text("screens: [unclosed\n")
    config = write_host_config(tmp_path / "host.yaml", [{**simulated("tv-9"), **device}])
    finished = run_to_exit("host_service", "--port", "1", "--config", str(config))
    assert finished.returncode == 2
    assert finished.stderr.count("\n") == 1, finished.stderr  # one line, no traceback
    assert str(config) in finished.stderr
    assert "devices[0] (tv-9)" in finished.stderr
    assert named in finished.stderr


def test_a_bad_setting_stops_startup_naming_it(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "host_service", "--port", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={**os.environ, "HOST_RETENTION_MAX_COUNT": "lots"},
    )
    assert finished.returncode == 2
    assert finished.stderr.count("\n") == 1, finished.stderr
    assert "HOST_RETENTION_MAX_COUNT" in finished.stderr
