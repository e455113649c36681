"""The lab tier's figures (issue 14): dispatch latency, queue drain, history reads, store size.

    .venv/bin/python -m bench.lab [--hosts 10] [--per-host 50] [--samples 300]
        [--queue 10000] [--rounds 2] [--history-rows 1000000] [--parts dispatch,drain,history]

Real processes on loopback: `--hosts` host processes of `--per-host` simulated TVs each
(their SQLite journals, no device latency) and a proxy in front of them, with its lab store
on SQLite (the default) or, with `--database postgresql`, on a PostgreSQL server started for
the run (`tests/postgres.py`).

- dispatch: lab starts (`device_selector: {model}`) one at a time on an idle lab; latency =
  the host execution's `started_at` (running, the host's clock) minus the moment the 202
  arrived at the client (same machine, same clock).
- drain: `--queue` lab starts posted at once (32 connections) over all the devices, until
  the lab has recorded every one ended; baseline in the same round: the same executions
  posted to their hosts naming the device, round robin over the devices, until every host
  execution ended. Rates are executions per second from the first post to the last end.
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
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from sqlalchemy import URL, create_engine, text

from bench.lab_history import history_figures
from bench.lab_processes import MODEL, RunningLab, lab
from proxy_service.lab import store_url
from tests.postgres import postgres_server

TERMINAL = {"completed", "error", "cancelled", "timed_out", "interrupted"}
CONNECTIONS = 32


def action(run_ms: int) -> dict[str, Any]:
    key = {"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": run_ms}
    return {"actions": [key]}


def epoch(at: str) -> float:
    return datetime.fromisoformat(at).timestamp()


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


async def post_all(requests: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """POST every (url, body) over `CONNECTIONS` connections; the execution ids, in order."""
    ids: list[str] = [""] * len(requests)
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as session:
        queue = iter(enumerate(requests))

        async def worker() -> None:
            for n, (url, body) in queue:
                async with session.post(url, json=body) as answer:
                    assert answer.status == 202, await answer.text()
                    ids[n] = (await answer.json())["execution_id"]

        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    return ids


def drain_direct(running: RunningLab, count: int, run_ms: int) -> float:
    """Executions a second: `count` starts on named devices, until every one ended."""
    devices = running.devices
    requests = [
        (f"{running.hosts[h]}/host/action/executeBatch", action(run_ms) | {"device_id": d})
        for h, d in (devices[n % len(devices)] for n in range(count))
    ]
    began = time.time()
    ids = asyncio.run(post_all(requests))
    ended = 0.0
    with httpx.Client(timeout=30) as client:
        for name, url in running.hosts.items():
            mine = {i for i, (h, _) in zip(ids, requests, strict=True) if h.startswith(url)}
            active: dict[str, str | list[str]] = {"status": ["queued", "running"], "limit": "1"}
            while client.get(f"{url}/host/executions", params=active).json()["total"]:
                time.sleep(0.05)  # polled; the end time comes from the views, not from this
            offset = 0
            while mine:  # newest first: this round's executions come first
                page = client.get(
                    f"{url}/host/executions", params={"limit": 500, "offset": offset}
                ).json()
                assert page["items"], f"{name}: {len(mine)} executions not found"
                for view in page["items"]:
                    if view["execution_id"] in mine:
                        mine.discard(view["execution_id"])
                        assert view["status"] == "completed", view
                        ended = max(ended, epoch(view["finished_at"]))
                offset += 500
    return count / (ended - began)


def lab_ended(store: URL, since: float, count: int) -> float:
    """When the lab recorded the last of the `count` requests made since `since` ended."""
    engine = create_engine(store)
    mine = "FROM lab_requests WHERE created_at >= :since"
    try:
        with engine.connect() as connection:
            while True:
                left = connection.execute(
                    text(f"SELECT count(*) {mine} AND state != 'done'"), {"since": since}
                ).scalar()
                connection.commit()  # a fresh snapshot at the next look
                if not left:
                    break
                time.sleep(0.05)  # polled; the end time comes from the store's finished_at
            counted = connection.execute(
                text(f"SELECT status, count(*) {mine} GROUP BY status"), {"since": since}
            )
            statuses = {status: n for status, n in counted}
            assert statuses == {"completed": count}, statuses
            ended: float = connection.execute(
                text(f"SELECT max(finished_at) {mine}"), {"since": since}
            ).scalar_one()
    finally:
        engine.dispose()
    return ended


def drain_lab(running: RunningLab, store: URL, count: int, run_ms: int) -> tuple[float, float]:
    """Executions a second from the first post until the lab recorded every one ended, and
    the starts it accepted a second meanwhile."""
    body = action(run_ms) | {"device_selector": {"model": MODEL}}
    requests = [(f"{running.proxy}/server/action/executeBatch", body)] * count
    began = time.time()
    asyncio.run(post_all(requests))
    posted = time.time()
    return count / (lab_ended(store, began, count) - began), count / (posted - began)


def drain_queue(running: RunningLab, store: URL, count: int, run_ms: int) -> float:
    """Executions a second of a full lab queue: `count` starts accepted while every host is
    drained, then the hosts released; until the lab recorded every one ended."""
    body = action(run_ms) | {"device_selector": {"model": MODEL}}
    requests = [(f"{running.proxy}/server/action/executeBatch", body)] * count
    since = time.time()
    with httpx.Client(base_url=running.proxy, timeout=30) as client:
        for name in running.hosts:
            client.post(f"/server/hosts/{name}/drain").raise_for_status()
        asyncio.run(post_all(requests))
        began = time.time()
        for name in running.hosts:
            client.post(f"/server/hosts/{name}/release").raise_for_status()
    return count / (lab_ended(store, since, count) - began)


@contextmanager
def proxy_database(database: str) -> Iterator[str | None]:
    """PROXY_DATABASE_URL for the proxy: None for its default SQLite file."""
    if database == "postgresql":
        with postgres_server() as server:
            yield server.new_database()
    else:
        yield None


def drains(running: RunningLab, store: URL, args: argparse.Namespace, label: str) -> None:
    """The three drains of one round, each with the CPU its processes spent per execution."""
    count, run_ms, hosts = args.queue, args.run_ms, list(running.hosts)

    def cpu(before: tuple[float, float]) -> str:
        proxy, on_hosts = running.cpu_s("proxy") - before[0], running.cpu_s(*hosts) - before[1]
        per = f"proxy {proxy / count * 1e6:,.0f} us, hosts {on_hosts / count * 1e6:,.0f} us"
        return f"CPU per execution: {per}"

    def now() -> tuple[float, float]:
        return running.cpu_s("proxy"), running.cpu_s(*hosts)

    print(f"{label}: {count:,} executions of {run_ms} ms over {len(running.devices)} devices")
    before = now()
    direct = drain_direct(running, count, run_ms)
    print(f"  direct (baseline) {direct:,.0f}/s; {cpu(before)}")
    before = now()
    through_lab, accepted = drain_lab(running, store, count, run_ms)
    print(
        f"  lab, posted while it drains {through_lab:,.0f}/s, "
        f"direct/lab {direct / through_lab:.2f}x (starts accepted {accepted:,.0f}/s); {cpu(before)}"
    )
    before = now()
    full = drain_queue(running, store, count, run_ms)
    print(f"  lab, a full queue {full:,.0f}/s, direct/lab {direct / full:.2f}x; {cpu(before)}")


def wait_for_history(running: RunningLab, store: URL) -> None:
    """Until the lab's history holds every execution its hosts finished: the proxy reads the
    hosts' feeds every 2 s, and a burst's catching up is not the idle lab to measure."""
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
