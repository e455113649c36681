"""What a host costs after a restart next to what it cost at the end of the run.

A host process with 25 simulated TVs (latencies at 0) and its SQLite journal runs N
executions of every kind (the hostile suite's workload bodies), 32 starts at a time,
and retains all of them. Then: its RSS once every execution has ended (the baseline),
a graceful stop, a start on the same journal, the time until it answers health, its
RSS then, and again after one client has read every retained execution (views,
events and logs of a sample), as an operator's dashboard would.

    .venv/bin/python -m bench.restart_memory [--executions 10000]
"""

import argparse
import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path

import httpx

from tests.conftest import LIBRARY, simulated, write_host_config
from tests.hostile.services import Service
from tests.hostile.workload import kinds, run_on_host

DEVICES = [f"tv-{n:02d}" for n in range(1, 26)]


async def read_everything(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        offset = 0
        ids: list[str] = []
        while True:
            page = (
                await client.get("/host/executions", params={"offset": offset, "limit": 200})
            ).json()
            ids += [item["execution_id"] for item in page["items"]]
            offset += 200
            if offset >= page["total"]:
                break
        for execution_id in ids[:: max(1, len(ids) // 500)]:
            await client.get(f"/host/executions/{execution_id}", params={"include_logs": True})
            events = f"/host/executions/{execution_id}/events"
            await client.get(events, headers={"Accept": "application/json"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--executions", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        devices = [simulated(d) for d in DEVICES]
        config = write_host_config(tmp / "host.yaml", devices, library_path=str(LIBRARY))
        journal = tmp / "journal.sqlite3"
        command = ["--config", str(config), "--journal", str(journal), "--log-level", "warning"]
        command += ["--latency-scale", "0"]
        env = {"HOST_RETENTION_MAX_COUNT": str(args.executions * 2)}
        host = Service("host_service", command, "/host/health", tmp / "host.log", env)
        host.start()
        try:
            started = time.monotonic()
            asyncio.run(run_on_host(host.url, DEVICES, args.executions))
            run_s = time.monotonic() - started
            run_rss = host.rss_bytes()
            asyncio.run(read_everything(host.url))
            run_read_rss = host.rss_bytes()
            host.stop()
            size = sum(p.stat().st_size for p in tmp.glob("journal.sqlite3*"))
            with sqlite3.connect(journal) as db:
                events = db.execute("SELECT count(*) FROM events").fetchone()[0]
                lines = db.execute("SELECT count(*) FROM logs").fetchone()[0]
            started = time.monotonic()
            host.start(seconds=600)
            restart_s = time.monotonic() - started
            restart_rss = host.rss_bytes()
            asyncio.run(read_everything(host.url))
            restart_read_rss = host.rss_bytes()
        finally:
            host.stop()
    mb = 1024 * 1024
    print(
        f"{args.executions:,} executions of {len(kinds())} kinds in {run_s:.0f} s; journal "
        f"{size / mb:.0f} MB, {events:,} events, {lines:,} log lines"
    )
    print("| | RSS MB | after reading them all, MB | start until healthy, s |")
    print("|---|---:|---:|---:|")
    print(f"| end of the run (baseline) | {run_rss / mb:.0f} | {run_read_rss / mb:.0f} | |")
    print(
        f"| after a restart | {restart_rss / mb:.0f} ({restart_rss / run_rss:.2f}x) | "
        f"{restart_read_rss / mb:.0f} ({restart_read_rss / run_read_rss:.2f}x) | {restart_s:.1f} |"
    )


if __name__ == "__main__":
    main()
