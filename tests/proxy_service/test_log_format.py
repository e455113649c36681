"""The proxy's own log lines reach stderr as the host's do: text or JSON lines, bounded by
`--log-level` (they used to show only from WARNING up, in Python's bare format)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.processes import REPO, free_port, stop_process, wait_until_healthy


def proxy_log(tmp_path: Path, *args: str, **env: str) -> list[str]:
    """Start a proxy on an empty lab, read its health once, stop it: its output's lines."""
    config = tmp_path / "proxy.yaml"
    config.write_text("hosts: []\n")
    port = free_port()
    log = tmp_path / "proxy.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "proxy_service", "--port", str(port), "--config", str(config),
             *args],
            cwd=REPO, stdout=sink, stderr=sink, env={**os.environ, **env},
        )  # fmt: skip
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/server/health", process)
        assert httpx.get(f"http://127.0.0.1:{port}/server/hosts").status_code == 200
    finally:
        stop_process(process)
    return log.read_text().splitlines()


def test_json_lines_carry_the_proxys_own_info_lines_and_uvicorns(tmp_path: Path) -> None:
    lines = [json.loads(line) for line in proxy_log(tmp_path, PROXY_LOG_FORMAT="json")]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    store = [line for line in lines if line["logger"] == "device_orchestrator.lab"]
    assert store, lines
    assert store[0]["level"] == "INFO"
    assert f"sqlite:///{tmp_path}" in store[0]["message"]  # the store next to the config
    assert "0 hosts in the config" in store[0]["message"]
    assert any(line["logger"] == "uvicorn.access" for line in lines)
    assert not any("color_message" in line for line in lines)


def test_log_level_keeps_info_lines_off_stderr(tmp_path: Path) -> None:
    lines = proxy_log(tmp_path, "--log-level", "warning")
    assert not any("lab store" in line or "GET /server/hosts" in line for line in lines), lines
