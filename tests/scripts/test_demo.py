"""The README's run command: proxy and three hosts as real processes, the CLI running a campaign
and a web testcase."""

import subprocess
import sys
from pathlib import Path

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
    # The web host's testcase: WebTV in the system Chromium, through the same proxy.
    assert "$ orch run testcase --id webtv_set_resolution --host demo-web-host" in out
    assert "PASSED: testcase" in out
