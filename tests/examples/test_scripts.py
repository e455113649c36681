"""The copyable scripts in examples/scripts/ do what they say against a real proxy and host."""

import os
import subprocess
import sys

from orchestrator_client import Client
from schemas import BlockCall, ExecutionStatus, StandardBlocksRequest
from tests.processes import REPO
from tests.stack import DEVICES, Stack

SCRIPTS = REPO / "examples" / "scripts"


def script(stack: Stack, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / name), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ORCH_URL": stack.proxy_url},
        timeout=40,
        check=False,
    )


def test_run_navigation_and_wait(stack: Stack) -> None:
    done = script(
        stack,
        "run_navigation.py",
        *("--host", stack.host_name, "--device", "tv-1", "--tree", "simtv"),
        *("--target", "TV Guide"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "completed" in done.stdout
    assert "TV Guide" in done.stdout


def test_run_navigation_to_an_unknown_node_is_refused(stack: Stack) -> None:
    done = script(
        stack,
        "run_navigation.py",
        *("--host", stack.host_name, "--device", "tv-1", "--tree", "simtv"),
        *("--target", "Nowhere"),
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "refused: 404" in done.stderr


def test_cancel_everything_on_a_device(stack: Stack) -> None:
    sleep = StandardBlocksRequest(
        host_name=stack.host_name,
        device_id="tv-2",
        blocks=[BlockCall(name="sleep", params={"seconds": 25})],
    )
    with Client(stack.proxy_url) as client:
        running = client.start(sleep)
        queued = client.start(sleep)
        assert client.status(queued.execution_id, stack.host_name).queue_position == 1
        done = script(stack, "cancel_device.py", "--host", stack.host_name, "--device", "tv-2")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "2 execution(s) stopped" in done.stdout
        for started in (running, queued):
            view = client.wait(started.execution_id, stack.host_name, timeout=10)
            assert view.status is ExecutionStatus.cancelled


def test_campaign_on_every_idle_device_of_a_model(stack: Stack) -> None:
    done = script(
        stack, "campaign_on_idle_devices.py", "--model", "simtv-4k", "--campaign", "nightly_smoke"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    runs = done.stdout.count(f"{stack.host_name}/tv-")
    assert runs >= len(DEVICES) - 1  # every idle one: other tests' runs have ended by now
    assert f"{runs} of {runs} devices passed nightly_smoke" in done.stdout
