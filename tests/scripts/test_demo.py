"""The README's run command: proxy and two hosts as real processes, the CLI running a campaign."""

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]


def test_demo_runs_the_campaign_through_the_cli_and_the_proxy() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/demo.py", "--latency-scale", "0.01", "--free-ports"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "demo-host-1" in out
    assert "demo-host-2" in out
    assert "online" in out  # `orch hosts`
    assert "tv-21" in out  # the second host's devices, in the same fan-out listing
    assert "$ orch run campaign --id nightly_smoke" in out
    assert "PASSED: campaign" in out
    assert "5 testcases" in out  # the JUnit report the CLI wrote
    assert re.search(r"^dashboard: http://127\.0\.0\.1:\d+/$", out, re.MULTILINE)


def test_demo_keeps_the_lab_running_until_ctrl_c_when_asked() -> None:
    demo = subprocess.Popen(
        [sys.executable, "scripts/demo.py", "--latency-scale", "0.01", "--free-ports", "--keep"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert demo.stdout is not None
        url = None
        for line in demo.stdout:  # the test's timeout bounds a demo that never gets there
            if line.startswith("dashboard: "):
                url = line.removeprefix("dashboard: ").strip()
            if line.strip() == "Ctrl-C stops it.":
                break
        assert url is not None
        page = httpx.get(url)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        lab = httpx.get(f"{url}server/watch").json()
        assert {h["host_name"] for h in lab["hosts"]} == {"demo-host-1", "demo-host-2"}
        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=20) == 0
        with pytest.raises(httpx.ConnectError):  # nothing left behind
            httpx.get(url)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        if demo.stdout is not None:
            demo.stdout.close()
