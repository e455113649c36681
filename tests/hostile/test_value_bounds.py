"""One small request must not grow a host: the doubling probe against a real host process.

24 `set_variable` blocks of `"{s}{s}"` in a 1.8 KB request once made a 151 MB view, took
a host from 77 to 1,155 MB and wrote a 735 MB journal. Now the doubling past the limit
of a value fails its step, and the host's memory and journal stay where they were.
"""

from pathlib import Path

import httpx

from tests.conftest import simulated, write_host_config
from tests.hostile.services import Service

BUILDER = "/host/builder/execute"


def doubling_request() -> dict[str, object]:
    first = {"name": "set_variable", "params": {"name": "s", "value": "0123456789abcdef"}}
    double = {"name": "set_variable", "params": {"name": "s", "value": "{s}{s}"}}
    return {"device_id": "tv-1", "blocks": [first] + [double] * 24}


def test_a_doubling_request_fails_and_leaves_memory_and_journal_as_they_were(
    tmp_path: Path,
) -> None:
    config = write_host_config(tmp_path / "host.yaml", [simulated("tv-1")])
    journal = tmp_path / "journal.sqlite3"
    args = ["--config", str(config), "--journal", str(journal), "--log-level", "warning"]
    host = Service("host_service", args, "/host/health", tmp_path / "host.log", {})
    host.start()
    try:
        with httpx.Client(base_url=host.url, timeout=10) as client:
            before = host.rss_bytes()
            body = doubling_request()
            assert len(httpx.Request("POST", "/", json=body).content) < 2_000
            started = client.post(BUILDER, json=body)
            assert started.status_code == 202, started.text
            execution_id = started.json()["execution_id"]
            view = client.get(f"/host/executions/{execution_id}", params={"wait": 5}).json()
            while view["status"] in ("queued", "running"):
                view = client.get(f"/host/executions/{execution_id}", params={"wait": 5}).json()
            assert view["status"] == "error"
            assert view["error"]["code"] == "value_too_large"
            answer = client.get(f"/host/executions/{execution_id}")
            assert len(answer.content) < 100_000
            grown = host.rss_bytes() - before
        assert grown < 30 * 1024 * 1024, f"RSS grew {grown / 2**20:.0f} MB"
    finally:
        host.stop()
    written = sum(p.stat().st_size for p in tmp_path.glob("journal.sqlite3*"))
    assert written < 2 * 1024 * 1024, f"journal of {written / 2**20:.1f} MB"
