"""`orch` as a CI job runs it: a real process against a real proxy and host; exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import free_port
from tests.stack import Stack


def orch(stack: Stack, *args: str, url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ORCH_URL": url or stack.proxy_url,
        "ORCH_HOST": stack.host_name,
        "COLUMNS": "200",  # a wide table: step labels stay on one line
    }
    return subprocess.run(
        [sys.executable, "-m", "orchestrator_client.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )


def test_hosts_and_devices(stack: Stack) -> None:
    hosts = orch(stack, "hosts")
    assert hosts.returncode == 0, hosts.stderr
    assert stack.host_name in hosts.stdout
    assert "online" in hosts.stdout
    devices = orch(stack, "devices")
    assert devices.returncode == 0, devices.stderr
    assert "tv-1" in devices.stdout
    assert "idle" in devices.stdout


def test_navigation_from_a_yaml_file_passes_with_a_table_of_steps(
    stack: Stack, tmp_path: Path
) -> None:
    request = tmp_path / "nav.yaml"
    request.write_text("tree_id: simtv\ndevice_id: tv-1\ntarget_node_label: TV Guide\n")
    done = orch(stack, "run", "navigation", str(request))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASSED: navigation" in done.stdout
    assert "passed" in done.stdout  # a step's state in the table
    assert "100%" in done.stdout


def test_failed_verification_exits_1(stack: Stack, tmp_path: Path) -> None:
    request = tmp_path / "check.json"
    check = {
        "type": "text",
        "command": "wait_for_text_to_appear",
        "params": {"text": "Nothing shows this"},
        "timeout_s": 0.2,
    }
    request.write_text(json.dumps({"device_id": "tv-2", "verifications": [check]}))
    done = orch(stack, "run", "verification", str(request))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILED: verification" in done.stdout


def test_testcase_from_the_library_by_id_writes_its_junit_report(
    stack: Stack, tmp_path: Path
) -> None:
    report = tmp_path / "junit.xml"
    done = orch(
        stack, "run", "testcase", "--id", "open_guide", "--device", "tv-3", "--junit", str(report)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASSED: testcase" in done.stdout
    assert '<testsuite name="open_guide"' in report.read_text()
    again = tmp_path / "again.xml"
    execution_id = done.stdout.split()[2]
    assert orch(stack, "junit", execution_id, "-o", str(again)).returncode == 0
    assert again.read_text() == report.read_text()


def test_junit_of_a_kind_without_reports_is_refused_before_starting(stack: Stack) -> None:
    done = orch(stack, "run", "action", "--id", "x", "--device", "tv-3", "--junit", "r.xml")
    assert done.returncode == 2
    assert "--junit" in done.stderr
    assert "campaigns and testcases" in done.stderr


def test_cancel_status_watch_and_logs_of_a_running_execution(stack: Stack, tmp_path: Path) -> None:
    request = tmp_path / "blocks.yaml"
    request.write_text(
        "device_id: tv-4\nblocks:\n"
        "  - {name: log_message, params: {message: about to sleep}}\n"
        "  - {name: sleep, params: {seconds: 25}}\n"
    )
    started = orch(stack, "run", "block", str(request), "--no-watch")
    assert started.returncode == 0, started.stderr
    execution_id = started.stdout.split()[2]
    assert orch(stack, "status", execution_id).returncode == 0  # still running: no verdict
    cancelled = orch(stack, "cancel", execution_id)
    assert cancelled.returncode == 0, cancelled.stderr
    watched = orch(stack, "watch", execution_id)
    assert watched.returncode == 1
    assert f"CANCELLED: block {execution_id}" in watched.stdout
    status = orch(stack, "status", execution_id)
    assert status.returncode == 1
    assert "cancelled" in status.stdout
    logs = orch(stack, "logs", execution_id)
    assert logs.returncode == 0
    assert "about to sleep" in logs.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "testcase"], "give a request FILE or --id"),
        (["run", "kind-of-nothing", "--id", "x"], "kind-of-nothing"),
        (["status"], "Missing argument"),
        (["run", "testcase", "--id", "open_guide"], "device_id: Field required"),
    ],
)
def test_usage_errors_exit_2(stack: Stack, args: list[str], message: str) -> None:
    done = orch(stack, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_service_errors_are_one_line_and_exit_2(stack: Stack) -> None:
    done = orch(stack, "status", "no-such-execution", "--host", "nowhere")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("error: 404")
    assert "nowhere" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_no_proxy_exits_2(stack: Stack) -> None:
    done = orch(stack, "hosts", url=f"http://127.0.0.1:{free_port()}")
    assert done.returncode == 2
    assert "cannot reach the proxy" in done.stderr
    assert "Traceback" not in done.stderr


def test_campaign_by_id_writes_its_junit_report(stack: Stack, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    done = orch(
        stack,
        "run",
        "campaign",
        "--id",
        "nightly_smoke",
        "--device",
        "tv-5",
        "--junit",
        str(report),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASSED: campaign" in done.stdout
    assert "zap_channels" in done.stdout  # an item of the campaign in the live table
    assert "<testsuite" in report.read_text()
    execution_id = done.stdout.split()[2]
    again = tmp_path / "again.xml"
    assert orch(stack, "junit", execution_id, "-o", str(again)).returncode == 0
    assert again.read_text() == report.read_text()


def test_artifacts_of_a_failed_run_are_downloaded_into_a_folder(
    stack: Stack, tmp_path: Path
) -> None:
    request = tmp_path / "check.json"
    check = {"type": "text", "command": "check_text", "params": {"text": "Nothing shows this"}}
    request.write_text(json.dumps({"device_id": "tv-7", "verifications": [check, check]}))
    done = orch(stack, "run", "verification", str(request))
    assert done.returncode == 1, done.stdout + done.stderr
    execution_id = done.stdout.split()[2]
    folder = tmp_path / "evidence"
    downloaded = orch(stack, "artifacts", execution_id, "-o", str(folder))
    assert downloaded.returncode == 0, downloaded.stdout + downloaded.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["001-verify-0.png", "002-verify-1.png"]
    assert all((folder / n).read_bytes().startswith(b"\x89PNG") for n in names)
    assert f"2 artifacts written to {folder}" in downloaded.stdout
    unknown = orch(stack, "artifacts", "no-such-execution", "-o", str(folder))
    assert unknown.returncode == 2
    assert unknown.stderr.strip().startswith("error: 404")
