"""A restart costs no more than the run did: the same retained executions, read back.

10,000 finished records took 632 MB at the end of a run and 994 MB after a restart, which
took 13.8 s: every event was validated into a model and dumped again, every result built
into models. A host reads events back as the bytes it wrote and keeps a finished record's
result and steps as their JSON until a view needs them.
"""

import asyncio
from pathlib import Path

import httpx

from tests.conftest import LIBRARY, simulated, write_host_config
from tests.hostile.budget import budget
from tests.hostile.services import Service
from tests.hostile.workload import run_on_host

DEVICES = [f"tv-{n:02d}" for n in range(1, 26)]


async def sample_views(url: str, count: int) -> list[dict[str, object]]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        page = (await client.get("/host/executions", params={"limit": 200})).json()
        assert page["total"] == count
        views = []
        for item in page["items"][::20]:
            path = f"/host/executions/{item['execution_id']}"
            views.append((await client.get(path, params={"include_logs": True})).json())
        return views


def test_a_restart_costs_no_more_memory_than_the_run(tmp_path: Path) -> None:
    count = budget().restart_executions
    devices = [simulated(d) for d in DEVICES]
    config = write_host_config(tmp_path / "host.yaml", devices, library_path=str(LIBRARY))
    args = ["--config", str(config), "--journal", str(tmp_path / "journal.sqlite3")]
    args += ["--latency-scale", "0", "--log-level", "warning"]
    env = {"HOST_RETENTION_MAX_COUNT": str(count)}
    host = Service("host_service", args, "/host/health", tmp_path / "host.log", env)
    host.start()
    try:
        asyncio.run(run_on_host(host.url, DEVICES, count))
        run_rss = host.rss_bytes()
        before = asyncio.run(sample_views(host.url, count))
        host.stop()
        host.start(seconds=60)
        restart_rss = host.rss_bytes()
        after = asyncio.run(sample_views(host.url, count))
        read_rss = host.rss_bytes()
    finally:
        host.stop()
    assert after == before
    mb = 1024 * 1024
    assert restart_rss <= run_rss, (
        f"{run_rss / mb:.0f} MB after the run, {restart_rss / mb:.0f} after a restart"
    )
    assert read_rss <= run_rss, f"{read_rss / mb:.0f} MB once views were read again"
