"""The README's run command: proxy and two hosts as real processes, a run through the proxy."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_demo_runs_the_whole_stack_through_the_proxy() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/demo.py", "--latency-scale", "0.05", "--free-ports"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "demo-host-1  online" in out
    assert "demo-host-2  online" in out
    assert "tv-21" in out  # the second host's devices, in the same fan-out listing
    assert "/server/action/execution/" in out
    assert "verification passed: True" in out
