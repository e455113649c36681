"""The proxy's own log lines reach stderr as the host's do: text or JSON lines, bounded by
`--log-level` (they used to show only from WARNING up, in Python's bare format)."""

import json
from pathlib import Path

import httpx

from tests.processes import service


def proxy_log(tmp_path: Path, *args: str, **env: str) -> list[str]:
    """Start a proxy on an empty lab, read its health once, stop it: its output's lines."""
    config = tmp_path / "proxy.yaml"
    config.write_text("hosts: []\n")
    log = tmp_path / "proxy.log"
    proxy = service(
        "proxy_service", "--config", str(config), *args,
        health_path="/server/health", log=log, env=env,
    )  # fmt: skip
    with proxy as url:
        assert httpx.get(f"{url}/server/hosts").status_code == 200
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
