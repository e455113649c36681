"""Start-route latency and throughput of a host, next to a hello-world FastAPI route.

Every app runs in its own uvicorn process with the same settings (bench/serve.py),
loaded by wrk with 32 connections: hello-world, then the host with its journal off
(memory only), then with its SQLite journal (the default), in turn, for several
rounds, so drift on the machine hits all three alike; the figures are medians.

The simulated devices run at a real box's pace (`--latency-scale 1`, a key press
takes 150 ms) or with no latency at all (`--latency-scale 0`): then every accepted
start is also a whole execution for the host's two cores to run. Each row also
counts the executions that finished during the load (from the host's /metrics);
afterwards every accepted execution must still reach a terminal status.

    python -m bench.start_latency [--latency-scale 1] [--rounds 3] [--seconds 10]
"""

import argparse
import json
import re
import statistics
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.wrk import WrkFigures, lua_post, run_wrk
from tests.processes import service

BODIES = [
    json.dumps(
        {"device_id": device, "actions": [{"command": "press_key", "params": {"key": "OK"}}]}
    )
    for device in ("tv-1", "tv-2", "tv-3")
]
MODES = ("hello-world POST", "start, memory only", "start, SQLite journal")


@dataclass(frozen=True)
class Run:
    wrk: WrkFigures
    finished_during_load: int  # executions that reached a terminal status while wrk ran


FINISHED = re.compile(r"^host_executions_finished_total\S* (\S+)$", re.MULTILINE)


def finished_count(client: httpx.Client) -> int:
    return sum(int(float(n)) for n in FINISHED.findall(client.get("/metrics").text))


def drain(client: httpx.Client) -> None:
    """Wait until no execution is queued or running; none may have ended in `error`."""

    def count(status: str) -> int:
        page = client.get("/host/executions", params={"status": status, "limit": 1})
        total: int = page.json()["total"]
        return total

    # At a real box's pace thousands wait in the queues: cancel them (each ends
    # `cancelled`), so the check below still covers every accepted execution.
    with ThreadPoolExecutor(max_workers=16) as pool:
        while count("queued"):
            page = client.get("/host/executions", params={"status": "queued", "limit": 500})
            ids = [item["execution_id"] for item in page.json()["items"]]
            list(pool.map(lambda i: client.post(f"/host/executions/{i}/cancel"), ids))
    while count("running"):
        pass
    assert count("error") == 0


def measure(mode: str, journal: Path, latency_scale: float, seconds: int, connections: int) -> Run:
    if mode == MODES[0]:
        with service("bench.serve", "hello", health_path="/hello") as url:
            run_wrk("warm-up", url, lua_post("/hello", BODIES), seconds=1, connections=connections)
            figures = run_wrk(
                mode, url, lua_post("/hello", BODIES), seconds=seconds, connections=connections
            )
        return Run(figures, 0)
    where = "none" if mode == MODES[1] else str(journal)
    args = ["host", "--journal", where, "--latency-scale", str(latency_scale)]
    script = lua_post("/host/action/executeBatch", BODIES)
    with (
        service("bench.serve", *args, health_path="/host/health") as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        run_wrk("warm-up", url, script, seconds=1, connections=connections)
        before = finished_count(client)
        figures = run_wrk(mode, url, script, seconds=seconds, connections=connections)
        finished = finished_count(client) - before
        drain(client)
    return Run(figures, finished)


def compare(
    modes: tuple[str, ...], latency_scale: float, rounds: int, seconds: int, connections: int
) -> dict[str, list[Run]]:
    """Each mode once per round, in turn; every run of every mode."""
    runs: dict[str, list[Run]] = {mode: [] for mode in modes}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(rounds):
            journal = Path(folder) / f"round-{round_}.sqlite3"
            for mode in modes:
                runs[mode].append(measure(mode, journal, latency_scale, seconds, connections))
    return runs


def median_row(mode: str, runs: list[Run], seconds: int) -> str:
    rate = statistics.median(r.wrk.requests_per_s for r in runs)
    p50 = statistics.median(r.wrk.p50_ms for r in runs)
    p99 = statistics.median(r.wrk.p99_ms for r in runs)
    done = statistics.median(r.finished_during_load for r in runs) / seconds
    bad = sum(r.wrk.bad_responses for r in runs)
    spread = ", ".join(f"{r.wrk.p99_ms:.1f}" for r in runs)
    return f"| {mode} | {rate:,.0f} | {p50:.2f} | {p99:.2f} ({spread}) | {done:,.0f} | {bad} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--latency-scale",
        type=float,
        default=1.0,
        help="device latency: 1 is a real box's pace, 0 runs every start at once",
    )
    args = parser.parse_args()
    runs = compare(MODES, args.latency_scale, args.rounds, args.seconds, args.connections)
    print(
        f"wrk, {args.connections} connections, {args.seconds} s per run, {args.rounds} rounds, "
        f"device latency scale {args.latency_scale:g}; medians (p99 of each run)\n"
    )
    print("| route | req/s | p50 ms | p99 ms | executions finished/s during load | non-2xx |")
    print("|---|---:|---:|---:|---:|---:|")
    for mode, mode_runs in runs.items():
        print(median_row(mode, mode_runs, args.seconds))
    hello = statistics.median(r.wrk.requests_per_s for r in runs[MODES[0]])
    rates = {m: statistics.median(r.wrk.requests_per_s for r in runs[m]) for m in MODES[1:]}
    print()
    for mode in MODES[1:]:
        p99 = statistics.median(r.wrk.p99_ms for r in runs[mode])
        print(
            f"{mode}: {rates[mode] / hello:.0%} of hello-world (target >= 35%), "
            f"p99 {p99:.2f} ms (target < 25 ms)"
        )
    cost = 1 - rates[MODES[2]] / rates[MODES[1]]
    print(f"the journal costs {cost:.0%} of the start throughput (target < 25%)")
    print("every accepted execution reached a terminal status; none ended in error")


if __name__ == "__main__":
    main()
