"""How soon a client knows an execution ended (SSE vs polling), and what the journal costs.

    python -m bench.events_latency [--devices 8] [--runs 15] [--seconds 10] [--rounds 3]

Part 1 runs executions of random length on a real host process; each is followed
at once by an SSE stream and by a client polling its status once a second. The
latency is the client's clock when it learns the terminal status minus the
execution's `finished_at` (same machine, same clock).
Part 2 loads the start route with wrk (`bench.start_latency.compare`) on a host
with its SQLite journal and on one with `--journal none` (memory only), in turn for
several rounds, at a real box's pace and with no device latency, and compares
their throughput.
"""

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx
import yaml
from httpx_sse import aconnect_sse

from bench.start_latency import MODES, compare, median_row
from tests.processes import service

ROOT = Path(__file__).resolve().parents[1]
UI_MODEL = ROOT / "examples" / "ui" / "simtv.yaml"
TERMINAL = {"completed", "error", "cancelled", "timed_out", "interrupted"}


@contextmanager
def host(folder: Path, devices: int, journal: bool) -> Iterator[str]:
    """A host process with `devices` simulated TVs, no latency, its journal in `folder`."""
    config = folder / "host.yaml"
    tvs = [
        {"id": f"tv-{i}", "name": f"TV {i}", "model": "simtv-4k"}
        | {"settings": {"ui_model": str(UI_MODEL)}}
        for i in range(devices)
    ]
    config.write_text(yaml.safe_dump({"host_name": "bench-host", "devices": tvs}))
    path = str(folder / "journal.sqlite3") if journal else "none"
    args = ["--config", str(config), "--journal", path]
    with service("host_service", *args, "--latency-scale", "0", health_path="/host/health") as url:
        yield url


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[98]


def action(device: str, wait_ms: int) -> dict[str, object]:
    key = {"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": wait_ms}
    return {"device_id": device, "actions": [key]}


async def by_sse(client: httpx.AsyncClient, execution_id: str) -> float:
    async with aconnect_sse(client, "GET", f"/host/executions/{execution_id}/events") as source:
        async for sse in source.aiter_sse():
            if sse.data and sse.event == "status" and json.loads(sse.data)["status"] in TERMINAL:
                return time.time()
    raise AssertionError("stream ended without a terminal event")


async def by_polling(client: httpx.AsyncClient, execution_id: str) -> float:
    while True:
        view = (await client.get(f"/host/executions/{execution_id}")).json()
        if view["status"] in TERMINAL:
            return time.time()
        await asyncio.sleep(1.0)  # the polling client under test polls once a second


async def follow_device(
    client: httpx.AsyncClient, device: str, runs: int, rng: random.Random
) -> list[tuple[float, float]]:
    samples = []
    for _ in range(runs):
        started = await client.post(
            "/host/action/executeBatch", json=action(device, rng.randint(100, 1500))
        )
        execution_id = started.json()["execution_id"]
        sse_at, poll_at = await asyncio.gather(
            by_sse(client, execution_id), by_polling(client, execution_id)
        )
        view = (await client.get(f"/host/executions/{execution_id}")).json()
        done_at = datetime.fromisoformat(view["finished_at"]).timestamp()
        samples.append(((sse_at - done_at) * 1000, (poll_at - done_at) * 1000))
    return samples


async def notification_latency(url: str, devices: int, runs: int, label: str) -> None:
    rng = random.Random(7)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        per_device = await asyncio.gather(
            *(follow_device(client, f"tv-{i}", runs, rng) for i in range(devices))
        )
    samples = [s for device in per_device for s in device]
    sse_p50, sse_p99 = percentiles([s[0] for s in samples])
    poll_p50, poll_p99 = percentiles([s[1] for s in samples])
    print(f"completion -> client knows, {len(samples)} executions on {devices} devices, {label}")
    print(
        f"  SSE                 p50 {sse_p50:7.1f} ms   p99 {sse_p99:7.1f} ms   (target p99 < 20)"
    )
    print(f"  polling once a sec  p50 {poll_p50:7.1f} ms   p99 {poll_p99:7.1f} ms")
    print(f"  polling / SSE at p50: {poll_p50 / max(sse_p50, 0.001):.0f}x")


def journal_cost(seconds: int, connections: int, rounds: int) -> None:
    """Start throughput with the journal against memory only, at both device paces."""
    for scale, pace in ((1.0, "a real box's pace"), (0.0, "no device latency")):
        modes = MODES[1:]
        runs = compare(modes, scale, rounds, seconds, connections)
        print(
            f"\nstart route, wrk, {connections} connections, {seconds} s x {rounds} rounds, {pace}"
        )
        print("| host | starts/s | p50 ms | p99 ms | executions finished/s during load | non-2xx |")
        print("|---|---:|---:|---:|---:|---:|")
        for mode in modes:
            print(median_row(mode, runs[mode], seconds))
        rate = {m: statistics.median(r.wrk.requests_per_s for r in runs[m]) for m in modes}
        cost = 1 - rate[modes[1]] / rate[modes[0]]
        print(f"the journal costs {cost:.0%} of the start throughput (target < 25%)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=8)
    parser.add_argument("--runs", type=int, default=30, help="executions per device in part 1")
    parser.add_argument("--seconds", type=int, default=10, help="wrk load per round")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for journal, label in ((True, "SQLite journal"), (False, "memory only (baseline)")):
        with (
            tempfile.TemporaryDirectory() as folder,
            host(Path(folder), args.devices, journal) as url,
        ):
            asyncio.run(notification_latency(url, args.devices, args.runs, label))
    journal_cost(args.seconds, args.connections, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
