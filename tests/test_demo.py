"""The README's run command: proxy, two hosts, and the CLI running the library's campaign."""

import subprocess
import sys

from tests.processes import REPO


def test_demo_runs_the_campaign_through_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/demo.py", "--latency-scale", "0.01"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "$ orch run campaign --id nightly_smoke" in done.stdout
    assert "PASSED: campaign" in done.stdout
    assert "demo-host-2" in done.stdout  # both hosts listed by `orch hosts`
    assert "5 testcases" in done.stdout  # the JUnit report the CLI wrote
