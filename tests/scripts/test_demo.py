"""The README's run command: proxy and three hosts as real processes, the CLI running a campaign
and a web testcase, a testcase on any simtv-4k, and the demo's lab history."""

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]


def test_demo_runs_the_campaign_then_keeps_the_lab_until_ctrl_c_when_asked() -> None:
    demo = subprocess.Popen(
        [sys.executable, "scripts/demo.py", "--latency-scale", "0.01", "--free-ports", "--keep"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert demo.stdout is not None
        lines = []
        for line in demo.stdout:  # the test's timeout bounds a demo that never gets there
            lines.append(line)
            if line.strip() == "Ctrl-C stops it.":
                break
        out = "".join(lines)
        assert "demo-host-1" in out
        assert "demo-host-2" in out
        assert "online" in out  # `orch hosts`
        assert "tv-21" in out  # the second host's devices, in the same fan-out listing
        assert "$ orch run campaign --id nightly_smoke" in out
        assert "PASSED: campaign" in out
        assert "5 testcases" in out  # the JUnit report the CLI wrote
        # The web host's testcase: WebTV in the system Chromium, through the same proxy.
        assert "$ orch run testcase --id webtv_set_resolution --host demo-web-host" in out
        assert "PASSED: testcase" in out
        # A testcase on any simtv-4k: the lab queue chose the device, on either host.
        ran = re.search(r"^any simtv-4k: ran on (demo-host-[12])/(tv-\d+), PASSED$", out, re.M)
        assert ran is not None, out
        assert ran[2] in ("tv-1", "tv-2", "tv-21")  # the simtv-4k devices of the demo
        # The demo's history, from the lab store: the three runs above, newest first.
        assert "history of the demo: 3 executions, newest first" in out
        rows = re.findall(r"^\d\d:\d\d:\d\d +(\S+) +(\w+) +(\S+) +completed +yes$", out, re.M)
        assert rows == [
            (f"{ran[1]}/{ran[2]}", "testcase", "open_guide"),
            ("demo-web-host/web-1", "testcase", "webtv_set_resolution"),
            ("demo-host-1/tv-1", "campaign", "nightly_smoke"),
        ]
        found = re.search(r"^dashboard: (http://127\.0\.0\.1:\d+/)$", out, re.MULTILINE)
        assert found is not None
        url = found[1]
        page = httpx.get(url)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        lab = httpx.get(f"{url}server/watch").json()
        hosts = {h["host_name"] for h in lab["hosts"]}
        assert hosts == {"demo-host-1", "demo-host-2", "demo-web-host"}
        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=20) == 0
        with pytest.raises(httpx.ConnectError):  # nothing left behind
            httpx.get(url)
    finally:
        if demo.poll() is None:  # a failed assertion: the demo stops its services on SIGINT
            demo.send_signal(signal.SIGINT)
            try:
                demo.wait(timeout=20)
            except subprocess.TimeoutExpired:
                demo.kill()
                demo.wait()
        if demo.stdout is not None:
            demo.stdout.close()
