"""The lab tier's figures (issue 14): dispatch latency, queue drain, history reads, store size.

    .venv/bin/python -m bench.lab [--hosts 10] [--per-host 50] [--samples 300]
        [--queue 10000] [--run-ms 0] [--rounds 2] [--history-rows 1000000]
        [--database sqlite|postgresql] [--parts dispatch,drain,history]

Real processes on loopback: `--hosts` host processes of `--per-host` simulated TVs each
(their SQLite journals, no device latency) and a proxy in front of them, with its lab store
on SQLite (the default) or, with `--database postgresql`, on a PostgreSQL server started for
the run (`tests/postgres.py`).

- dispatch: lab starts (`device_selector: {model}`) one at a time on an idle lab (its
  history caught up with the hosts); latency = the host execution's `started_at` (running,
  the host's clock) minus the moment the 202 arrived at the client (same machine, clock).
- drain (`bench/lab_drain.py`): `--queue` executions over all the devices, three ways a
  round: posted to their hosts naming the device (the baseline), posted as lab requests
  while the lab drains them, and waiting in a full lab queue until the hosts are released;
  executions per second to the last end, and the CPU each process spent per execution.
- history, store bytes: see `bench/lab_history.py`.
"""

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import httpx
from sqlalchemy import URL, create_engine, text

from bench.lab_drain import action, drains, epoch
from bench.lab_history import history_figures
from bench.lab_processes import MODEL, RunningLab, lab
from proxy_service.lab import store_url
from tests.postgres import postgres_server

TERMINAL = {"completed", "error", "cancelled", "timed_out", "interrupted"}


def ms_figures(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {statistics.median(samples):.1f} ms, p99 {cuts[98]:.1f} ms, max {max(samples):.1f}"


def wait_for_inventory(proxy: str, devices: int) -> None:
    """The proxy has read every host's devices (it asks configured hosts once they answer)."""
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        known = httpx.get(f"{proxy}/server/lab/devices", timeout=10).json()
        if sum(d["state"] == "idle" for d in known) >= devices:
            return
        time.sleep(0.2)  # the proxy's inventory refresh; nothing to wait on but its answer
    raise AssertionError(f"the proxy did not learn {devices} idle devices")


async def dispatch_latency(proxy: str, samples: int, run_ms: int) -> list[float]:
    """Milliseconds from each lab start's 202 to its host execution running."""
    body = action(run_ms) | {"device_selector": {"model": MODEL}}
    found = []
    async with aiohttp.ClientSession(proxy) as session:
        for _ in range(samples):
            async with session.post("/server/action/executeBatch", json=body) as answer:
                accepted_at = time.time()
                assert answer.status == 202, await answer.text()
                lab_id = (await answer.json())["execution_id"]
            while True:  # long-poll the lab id across its dispatch until it ended
                path = f"/server/executions/{lab_id}"
                async with session.get(path, params={"wait": "5"}) as answer:
                    view = await answer.json()
                if view["status"] in TERMINAL:
                    break
            assert view["status"] == "completed", view
            found.append((epoch(view["started_at"]) - accepted_at) * 1000)
            # Not in step with the dispatcher's own pace (its 0.5 s tick, 1 s sweep).
            await asyncio.sleep(random.uniform(0, 0.02))
    return found


@contextmanager
def proxy_database(database: str) -> Iterator[str | None]:
    """PROXY_DATABASE_URL for the proxy: None for its default SQLite file."""
    if database == "postgresql":
        with postgres_server() as server:
            yield server.new_database()
    else:
        yield None


def wait_for_history(running: RunningLab, store: URL) -> None:
    """Until the lab's history holds every execution its hosts finished: the proxy reads the
    hosts' feeds (long-polled), and a burst's catching up is not the idle lab to measure."""
    with httpx.Client(timeout=30) as client:
        ended = sum(
            float(line.rpartition(" ")[2])
            for url in running.hosts.values()
            for line in client.get(f"{url}/metrics").text.splitlines()
            if line.startswith("host_executions_finished_total{")
        )
    engine = create_engine(store)
    try:
        with engine.connect() as connection:
            while connection.execute(text("SELECT count(*) FROM lab_history")).scalar_one() < ended:
                connection.commit()  # a fresh snapshot at the next look
                time.sleep(0.2)  # polled: the feed's pace, not ours
    finally:
        engine.dispose()


def lab_figures(args: argparse.Namespace, folder: Path) -> None:
    with (
        proxy_database(args.database) as proxy_url,
        lab(folder, args.hosts, args.per_host, proxy_url) as running,
    ):
        store = store_url(proxy_url, folder / "proxy.yaml")
        devices = len(running.devices)
        wait_for_inventory(running.proxy, devices)
        print(f"\nlab: {args.hosts} host processes x {args.per_host} devices, {args.database}")
        for r in range(args.rounds):
            if "dispatch" in args.parts:
                wait_for_history(running, store)
                samples = asyncio.run(dispatch_latency(running.proxy, args.samples, args.run_ms))
                shown = f"({len(samples)}): {ms_figures(samples)}"
                print(f"round {r + 1} dispatch 202 -> running {shown}")
            if "drain" in args.parts:
                drains(running, store, args, f"round {r + 1}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--per-host", type=int, default=50)
    parser.add_argument("--samples", type=int, default=300, help="dispatch latency samples")
    parser.add_argument("--queue", type=int, default=10_000, help="lab requests to drain")
    parser.add_argument("--run-ms", type=int, default=0, help="what each execution waits")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--history-rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300, help="history reads per filter")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--parts", default="dispatch,drain,history")
    args = parser.parse_args()
    args.parts = set(args.parts.split(","))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if args.parts & {"dispatch", "drain"}:
            lab_figures(args, folder)
        if "history" in args.parts:
            history_figures(folder, args.history_rows, args.queries, args.rounds)


if __name__ == "__main__":
    main()
