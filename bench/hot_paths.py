"""The host's hot paths next to a hello-world route and the naive design (issue 16).

Every app runs in its own uvicorn process with the same settings (`bench/serve.py`,
`bench/naive_service.py`), loaded by wrk with 32 connections, each in turn for several
rounds (medians; the p99 of each round in brackets):

- status reads: hello-world GET, the naive design's status GET, the host's status of a
  finished and of a running execution, the proxy's forwarded read of a running one;
- starts: hello-world POST, the naive design's start, the host's start memory only and
  with its SQLite journal (three simulated TVs at a real box's pace, a key press 150 ms,
  as `bench/start_latency.py`: the start path, not the executions' work; and at no
  latency, where every start is also a whole execution for the same two cores), with
  the executions that finished while wrk ran;
- a start flood over 50 simulated TVs at no latency, the Lua script spreading the starts
  over the devices: executions finished per second while wrk ran, memory only and with
  the journal.

Afterwards every accepted execution must reach a terminal status, none in `error`.

    python -m bench.hot_paths [--seconds 4] [--rounds 2] [--only status|starts|flood]
"""

import argparse
import json
import statistics
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from bench.proxy_status import cpu_seconds
from bench.start_latency import drain, finished_count
from bench.wrk import WrkFigures, lua_get, lua_post, run_wrk
from tests.processes import service

REPO = Path(__file__).resolve().parent.parent
UI_MODEL = REPO / "examples" / "ui" / "simtv.yaml"
PRESS: dict[str, object] = {"command": "press_key", "params": {"key": "OK"}}


def bodies(devices: int) -> list[str]:
    return [json.dumps({"device_id": f"tv-{n}", "actions": [PRESS]}) for n in range(1, devices + 1)]


def host_config(folder: Path, devices: int) -> Path:
    path = folder / f"host-{devices}.yaml"
    tvs = [
        {
            "id": f"tv-{n}",
            "name": f"TV {n}",
            "model": "simtv-4k",
            "driver": "simulated",
            "settings": {"ui_model": str(UI_MODEL)},
        }
        for n in range(1, devices + 1)
    ]
    path.write_text(yaml.safe_dump({"host_name": "bench-host", "devices": tvs}))
    return path


@dataclass(frozen=True)
class Run:
    wrk: WrkFigures
    finished_per_s: float = 0.0  # executions that reached a terminal status while wrk ran
    cpu_us: float = 0.0  # the servers' CPU per request (with the work of executions run)


Measure = Callable[[str, str], Run]  # (row name, lua script) -> one run


def load(
    url: str, name: str, script: str, seconds: int, connections: int, also: tuple[str, ...] = ()
) -> Run:
    """wrk on `url`; the CPU of its server (and of the `also` servers) per request."""
    run_wrk("warm-up", url, script, seconds=1, connections=connections)
    before = sum(cpu_seconds(u) for u in (url, *also))
    figures = run_wrk(name, url, script, seconds=seconds, connections=connections)
    used = sum(cpu_seconds(u) for u in (url, *also)) - before
    return Run(figures, cpu_us=used / max(figures.requests, 1) * 1e6)


@contextmanager
def host(folder: Path, devices: int, journal: str, latency: float = 0) -> Iterator[str]:
    config = host_config(folder, devices)
    args = ["host", "--config", str(config), "--journal", journal, "--latency-scale", str(latency)]
    with service("bench.serve", *args, health_path="/host/health") as url:
        yield url


def start(client: httpx.Client, device: str, action: dict[str, object], timeout_s: float) -> str:
    body = {"device_id": device, "actions": [action], "timeout_s": timeout_s}
    execution_id: str = client.post("/host/action/executeBatch", json=body).json()["execution_id"]
    return execution_id


def status_rows(folder: Path, seconds: int, connections: int) -> dict[str, Run]:
    rows: dict[str, Run] = {}
    with service("bench.serve", "hello", health_path="/hello") as url:
        rows["hello-world GET"] = load(url, "hello", lua_get(["/hello"]), seconds, connections)
    with service("bench.naive_service", health_path="/naive/health") as url:
        naive_id = httpx.post(f"{url}/naive/execute", json={"actions": [PRESS]}).json()
        path = f"/naive/execution/{naive_id['execution_id']}/status"
        rows["naive status GET"] = load(url, "naive", lua_get([path]), seconds, connections)
    with (
        host(folder, 3, str(folder / "status.sqlite3")) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        finished = start(client, "tv-1", PRESS, 30)
        view = client.get(f"/host/executions/{finished}", params={"wait": 10}).json()
        assert view["status"] == "completed", view
        running = start(client, "tv-2", {**PRESS, "wait_time_ms": 600_000}, 600)
        status = "/host/action/execution/{}/status"
        rows["host status GET, finished"] = load(
            url, "finished", lua_get([status.format(finished)]), seconds, connections
        )
        rows["host status GET, running"] = load(
            url, "running", lua_get([status.format(running)]), seconds, connections
        )
        config = folder / "proxy.yaml"
        config.write_text(yaml.safe_dump({"hosts": [{"name": "bench-host", "url": url}]}))
        proxy_args = ["proxy", "--config", str(config)]
        with service("bench.serve", *proxy_args, health_path="/server/health") as proxy:
            path = f"/server/action/execution/{running}/status?host_name=bench-host"
            rows["proxy status GET, forwarded (running)"] = load(
                proxy, "proxy", lua_get([path]), seconds, connections, also=(url,)
            )
        client.post(f"/host/executions/{running}/cancel")
    return rows


def host_starts(url: str, name: str, script: str, seconds: int, connections: int) -> Run:
    with httpx.Client(base_url=url, timeout=120) as client:
        run_wrk("warm-up", url, script, seconds=1, connections=connections)
        drain(client)
        before, cpu = finished_count(client), cpu_seconds(url)
        figures = run_wrk(name, url, script, seconds=seconds, connections=connections)
        finished = finished_count(client) - before
        used = cpu_seconds(url) - cpu
        drain(client)
    return Run(figures, finished / seconds, used / max(figures.requests, 1) * 1e6)


def start_rows(
    folder: Path, seconds: int, connections: int, devices: int, latency: float = 0
) -> dict[str, Run]:
    rows: dict[str, Run] = {}
    posts = bodies(devices)
    with service("bench.serve", "hello", health_path="/hello") as url:
        rows["hello-world POST"] = load(
            url, "hello", lua_post("/hello", posts), seconds, connections
        )
    with service("bench.naive_service", health_path="/naive/health") as url:
        script = lua_post("/naive/execute", posts)
        rows["naive start POST"] = load(url, "naive", script, seconds, connections)
    script = lua_post("/host/action/executeBatch", posts)
    for name, journal in (
        ("memory only", "none"),
        ("SQLite journal", str(folder / f"s{devices}-{latency:g}.sqlite3")),
    ):
        with host(folder, devices, journal, latency) as url:
            rows[f"host start POST, {name}"] = host_starts(url, name, script, seconds, connections)
    return rows


def median(runs: list[float]) -> float:
    return statistics.median(runs)


def report(title: str, rows: dict[str, list[Run]], baseline: str) -> None:
    base = median([r.wrk.requests_per_s for r in rows[baseline]])
    base_p99 = median([r.wrk.p99_ms for r in rows[baseline]])
    print(f"\n{title}\n")
    print(
        f"| route | req/s | share of {baseline} | p99 ms (each round) | p99 / baseline's "
        "| server CPU µs/request | executions finished/s during load | non-2xx |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, runs in rows.items():
        rate = median([r.wrk.requests_per_s for r in runs])
        p99 = median([r.wrk.p99_ms for r in runs])
        spread = ", ".join(f"{r.wrk.p99_ms:.1f}" for r in runs)
        done = median([r.finished_per_s for r in runs])
        cpu = median([r.cpu_us for r in runs])
        bad = sum(r.wrk.bad_responses for r in runs)
        print(
            f"| {name} | {rate:,.0f} | {rate / base:.2f} | {p99:.2f} ({spread}) | "
            f"{p99 / base_p99:.2f} | {cpu:.0f} | {done:,.0f} | {bad} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", choices=["status", "starts", "paced", "flood"])
    args = parser.parse_args()
    status: dict[str, list[Run]] = {}
    starts: dict[str, list[Run]] = {}
    paced: dict[str, list[Run]] = {}
    flood: dict[str, list[Run]] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for round_ in range(args.rounds):
            here = folder / f"round-{round_}"
            here.mkdir()
            if args.only in (None, "status"):
                for row, run in status_rows(here, args.seconds, args.connections).items():
                    status.setdefault(row, []).append(run)
            if args.only in (None, "paced"):
                for row, run in start_rows(here, args.seconds, args.connections, 3, 1).items():
                    paced.setdefault(row, []).append(run)
            if args.only in (None, "starts"):
                for row, run in start_rows(here, args.seconds, args.connections, 3).items():
                    starts.setdefault(row, []).append(run)
            if args.only in (None, "flood"):
                for row, run in start_rows(here, args.seconds, args.connections, 50).items():
                    flood.setdefault(row, []).append(run)
    print(
        f"wrk, {args.connections} connections, {args.seconds} s per run, "
        f"{args.rounds} rounds; medians"
    )
    if status:
        report("Status reads", status, "hello-world GET")
    if paced:
        report("Starts, three simulated TVs at a real box's pace", paced, "hello-world POST")
    if starts:
        report("Starts, three simulated TVs at no latency", starts, "hello-world POST")
    if flood:
        report("Start flood over 50 simulated TVs at no latency", flood, "hello-world POST")
    print("\nevery accepted execution reached a terminal status; none ended in error")


if __name__ == "__main__":
    main()
