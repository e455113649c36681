"""How soon a client knows an execution ended (SSE vs polling), and what the journal costs.

    .venv/bin/python bench/events_latency.py [--devices 8] [--runs 15] [--starts 1500]

Part 1 runs executions of random length on a real host process; each is followed
at once by an SSE stream and by a client polling its status once a second. The
latency is the client's clock when it learns the terminal status minus the
execution's `finished_at` (same machine, same clock).
Part 2 fires start requests at a host with its SQLite journal and at one with
`--journal none` (memory only), in the same run, and compares throughput.
"""

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
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

ROOT = Path(__file__).resolve().parents[1]
UI_MODEL = ROOT / "examples" / "ui" / "simtv.yaml"
TERMINAL = {"completed", "error", "cancelled", "timed_out", "interrupted"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def host(folder: Path, devices: int, journal: str) -> Iterator[str]:
    config = folder / "host.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "host_name": "bench-host",
                "devices": [
                    {
                        "id": f"tv-{i}",
                        "name": f"TV {i}",
                        "model": "simtv-4k",
                        "settings": {"ui_model": str(UI_MODEL)},
                    }
                    for i in range(devices)
                ],
            }
        )
    )
    port = free_port()
    args = ["--port", str(port), "--config", str(config), "--journal", journal]
    process = subprocess.Popen(
        [sys.executable, "-m", "host_service", *args, "--latency-scale", "0"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                if httpx.get(url + "/host/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)  # the process is still binding its port
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


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


async def notification_latency(url: str, devices: int, runs: int) -> None:
    rng = random.Random(7)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        per_device = await asyncio.gather(
            *(follow_device(client, f"tv-{i}", runs, rng) for i in range(devices))
        )
    samples = [s for device in per_device for s in device]
    sse_p50, sse_p99 = percentiles([s[0] for s in samples])
    poll_p50, poll_p99 = percentiles([s[1] for s in samples])
    print(f"completion -> client knows, {len(samples)} executions on {devices} devices")
    print(
        f"  SSE                 p50 {sse_p50:7.1f} ms   p99 {sse_p99:7.1f} ms   (target p99 < 20)"
    )
    print(f"  polling once a sec  p50 {poll_p50:7.1f} ms   p99 {poll_p99:7.1f} ms")
    print(f"  polling / SSE at p50: {poll_p50 / max(sse_p50, 0.001):.0f}x")


async def start_load(
    url: str, devices: int, starts: int, concurrency: int
) -> tuple[float, float, float]:
    latencies: list[float] = []
    queue = iter(range(starts))

    async def worker(client: httpx.AsyncClient) -> None:
        for n in queue:
            began = time.perf_counter()
            response = await client.post(
                "/host/action/executeBatch", json=action(f"tv-{n % devices}", 0)
            )
            latencies.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 202, response.text

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        began = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    p50, p99 = percentiles(latencies)
    return starts / elapsed, p50, p99


def start_throughput(devices: int, starts: int, concurrency: int, rounds: int) -> None:
    figures: dict[str, list[tuple[float, float, float]]] = {"journal": [], "memory": []}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(rounds):  # alternate, so drift on the machine hits both alike
            for mode in figures:
                work = Path(folder) / f"{mode}-{round_}"
                work.mkdir()
                journal = str(work / "journal.sqlite3") if mode == "journal" else "none"
                with host(work, devices, journal) as url:
                    asyncio.run(start_load(url, devices, 50, concurrency))  # warm-up
                    figures[mode].append(asyncio.run(start_load(url, devices, starts, concurrency)))
    print(f"start route, {starts} starts x {rounds} rounds, {concurrency} concurrent clients")
    best = {}
    for mode, rows in figures.items():
        rate = statistics.median(r[0] for r in rows)
        p50 = statistics.median(r[1] for r in rows)
        p99 = statistics.median(r[2] for r in rows)
        best[mode] = rate
        print(f"  {mode:8s} {rate:7.0f} starts/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    cost = 1 - best["journal"] / best["memory"]
    print(f"  journal costs {cost * 100:.1f}% of start throughput (target < 25%)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=8)
    parser.add_argument("--runs", type=int, default=15, help="executions per device in part 1")
    parser.add_argument("--starts", type=int, default=1500, help="start requests per round")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        host(Path(folder), args.devices, str(Path(folder) / "journal.sqlite3")) as url,
    ):
        asyncio.run(notification_latency(url, args.devices, args.runs))
    start_throughput(args.devices, args.starts, args.concurrency, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
