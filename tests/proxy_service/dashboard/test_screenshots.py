"""The script that takes the README's screenshots of the dashboard works on a real lab."""

import subprocess
import sys
from pathlib import Path

from tests.processes import REPO
from tests.proxy_service.dashboard.lab import DashboardLab

PNG = b"\x89PNG\r\n\x1a\n"


def test_the_screenshot_script_shoots_the_wall_and_an_execution(
    live_lab: DashboardLab, tmp_path: Path
) -> None:
    done = subprocess.run(
        [sys.executable, "scripts/dashboard_screenshots.py", "--url", live_lab.url,
         "--out", str(tmp_path), "--host", "demo-host-2", "--device", "tv-22", "--wait", "30"],
        cwd=REPO, capture_output=True, text=True, timeout=55, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("dashboard-wall.png", "dashboard-execution.png"):
        shot = (tmp_path / name).read_bytes()
        assert shot.startswith(PNG)
        assert len(shot) > 20_000, name  # a rendered page, not a blank one
