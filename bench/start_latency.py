"""Start-route latency and throughput of a host, next to a hello-world FastAPI route.

Every app runs in its own uvicorn process with the same settings (bench/serve.py),
loaded by wrk with 32 connections in the same run: hello-world, then the host
with its journal off (memory only), then with its SQLite journal (the default).
The host's devices are simulated with zero latency, so the figure is the cost of
accepting an execution, not of running it. After the load, every accepted
execution must still reach a terminal status.

    python -m bench.start_latency [--seconds N] [--connections N]
"""

import argparse
import json
import tempfile
from pathlib import Path

import httpx

from bench.wrk import HEADER, WrkFigures, lua_post, run_wrk
from tests.processes import service

BODIES = [
    json.dumps(
        {"device_id": device, "actions": [{"command": "press_key", "params": {"key": "OK"}}]}
    )
    for device in ("tv-1", "tv-2", "tv-3")
]


def drain(base_url: str) -> int:
    """Wait until no execution is queued or running; return how many the host still lists.

    The host runs on its default settings, so it keeps the newest 10,000 records.
    """
    with httpx.Client(base_url=base_url, timeout=60) as client:

        def count(status: str | None) -> int:
            params: dict[str, str | int] = {"limit": 1}
            if status is not None:
                params["status"] = status
            total: int = client.get("/host/executions", params=params).json()["total"]
            return total

        # With real device latencies thousands wait in the queues: cancel them (each
        # ends `cancelled`), so the check below still covers every accepted execution.
        while count("queued"):
            page = client.get("/host/executions", params={"status": "queued", "limit": 500})
            for item in page.json()["items"]:
                client.post(f"/host/executions/{item['execution_id']}/cancel")
        while count("running"):
            pass
        assert count("error") == 0
        return count(None)


def measure_host(
    journal: str, latency_scale: float, seconds: int, connections: int
) -> tuple[WrkFigures, int]:
    name = "POST executeBatch, " + ("memory only" if journal == "none" else "SQLite journal")
    args = ["host", "--journal", journal, "--latency-scale", str(latency_scale)]
    with service("bench.serve", *args, health_path="/host/health") as url:
        start = run_wrk(
            name,
            url,
            lua_post("/host/action/executeBatch", BODIES),
            seconds=seconds,
            connections=connections,
        )
        return start, drain(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--latency-scale",
        type=float,
        default=0.0,
        help="device latency: 0 runs every start at once, 1 is a real box's pace",
    )
    args = parser.parse_args()
    with service("bench.serve", "hello", health_path="/hello") as url:
        hello = run_wrk(
            "hello-world POST",
            url,
            lua_post("/hello", BODIES),
            seconds=args.seconds,
            connections=args.connections,
        )
    with tempfile.TemporaryDirectory() as folder:
        journal = str(Path(folder) / "bench.sqlite3")
        runs = [
            measure_host(where, args.latency_scale, args.seconds, args.connections)
            for where in ("none", journal)
        ]
    print(
        f"wrk, {args.connections} connections, {args.seconds} s per route, "
        f"device latency scale {args.latency_scale:g}\n"
    )
    print(HEADER)
    print(hello.row())
    for start, _ in runs:
        print(start.row())
    print()
    for start, finished in runs:
        print(
            f"{start.name}: {start.requests_per_s / hello.requests_per_s:.0%} of hello-world "
            f"(target >= 35%), p99 {start.p99_ms:.2f} ms (target < 25 ms); "
            f"{start.requests:,} accepted, none left queued, running or in error, "
            f"{finished:,} kept by retention"
        )


if __name__ == "__main__":
    main()
