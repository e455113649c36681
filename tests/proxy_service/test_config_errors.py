"""A mistake in the proxy's config or settings stops it with exit 2 and one short line
naming the file, the item and the field; the proxy imports nothing of the host."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import REPO, run_to_exit

CASES = [
    (
        "hosts:\n  - name: lab-1\n    url: http://10.0.0.1:8101\n  - name: lab-2\n",
        "hosts[1] (lab-2).url",
        "Field required",
    ),
    ("hosts:\n  - name: lab-1\n    url: ftp://10.0.0.1\n", "hosts[0] (lab-1).url", "URL scheme"),
    (
        "hosts:\n  - name: lab-1\n    url: http://10.0.0.1\n    port: 1\n",
        "hosts[0] (lab-1).port",
        "Extra inputs",
    ),
    ("hostz: []\n", "hostz", "Extra inputs"),
    ("hosts:\n  - name: [unclosed\n", "line 3, column 1", "expected"),
]


@pytest.mark.parametrize(("text", "where", "why"), CASES)
def test_a_config_mistake_is_one_line_naming_file_item_and_field(
    tmp_path: Path, text: str, where: str, why: str
) -> None:
    config = tmp_path / "proxy.yaml"
    config.write_text(text)
    done = run_to_exit("proxy_service", "--config", str(config), "--port", "1")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"proxy_service: {config}: ")
    assert where in done.stderr
    assert why in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_setting_is_one_line_naming_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "proxy_service", "--port", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={"PROXY_MAX_CONNECTIONS": "many", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert "PROXY_MAX_CONNECTIONS" in done.stderr


def test_the_proxy_imports_nothing_of_the_host() -> None:
    probe = (
        "import sys, proxy_service.__main__; "
        "print(sorted(m for m in sys.modules if m.startswith('host_service')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
