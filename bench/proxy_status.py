"""Status GET through the proxy, directly on the host, and on a hello-world route, in one run.

Each app runs in its own uvicorn process with the same settings (bench/serve.py),
loaded by wrk with 32 connections. Two executions are read: a finished one (the
proxy answers it from its cache of finished views) and a running one (forwarded
to the host on every request). Targets: through the proxy, at least 30% of the
hello-world throughput and a p99 under 30 ms.

    python -m bench.proxy_status [--seconds N] [--connections N]
"""

import argparse
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

from bench.wrk import HEADER, WrkFigures, lua_get, run_wrk
from tests.processes import service

HOST_NAME = "demo-host-1"
PRESS: dict[str, object] = {"command": "press_key", "params": {"key": "OK"}}


def executions(host_url: str) -> tuple[str, str]:
    """A finished execution on tv-1 and one that keeps running on tv-2 for the whole load."""
    with httpx.Client(base_url=host_url, timeout=30) as client:

        def start(device_id: str, action: dict[str, object], timeout_s: float) -> str:
            body = {"device_id": device_id, "actions": [action], "timeout_s": timeout_s}
            execution_id: str = client.post("/host/action/executeBatch", json=body).json()[
                "execution_id"
            ]
            return execution_id

        finished = start("tv-1", PRESS, 30)
        status = "queued"
        while status in ("queued", "running"):  # long-poll: answers at each change
            view = client.get(f"/host/executions/{finished}", params={"wait": 10}).json()
            status = view["status"]
        assert status == "completed", view
        running = start("tv-2", {**PRESS, "wait_time_ms": 600_000}, 600)
        return finished, running


def cpu_seconds(url: str) -> float:
    """CPU time so far of the bench server process listening at `url` (from /proc)."""
    port = url.rsplit(":", 1)[1].encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if any(a.startswith(b"bench.") for a in argv) and port in argv:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue  # a process that ended while we looked
    raise LookupError(f"no bench server process for {url}")


@dataclass
class CpuCost:
    """CPU microseconds per request of each server process, named by role."""

    per_request_us: dict[str, float] = field(default_factory=dict)


@contextmanager
def cpu_cost(urls: dict[str, str], requests: Callable[[], int]) -> Iterator[CpuCost]:
    cost = CpuCost()
    before = {role: cpu_seconds(url) for role, url in urls.items()}
    yield cost
    for role, url in urls.items():
        used = cpu_seconds(url) - before[role]
        cost.per_request_us[role] = used / max(requests(), 1) * 1e6


def still_running(host_url: str, execution_id: str) -> bool:
    view = httpx.get(f"{host_url}/host/executions/{execution_id}", timeout=10).json()
    return bool(view["status"] == "running")


def measure(seconds: int, connections: int) -> tuple[list[WrkFigures], list[str]]:
    figures: list[WrkFigures] = []
    costs: list[str] = []

    def load(name: str, path: str, urls: dict[str, str]) -> None:
        with cpu_cost(urls, lambda: figures[-1].requests) as cost:
            figures.append(
                run_wrk(
                    name, urls["server"], lua_get([path]), seconds=seconds, connections=connections
                )
            )
        costs.append(
            f"{name}: "
            + ", ".join(f"{role} {us:,.0f} µs" for role, us in cost.per_request_us.items())
        )

    with service("bench.serve", "hello", health_path="/hello") as url:
        load("hello-world GET", "/hello", {"server": url})
    with (
        service("bench.serve", "host", health_path="/host/health") as host_url,
        tempfile.TemporaryDirectory() as folder,
    ):
        config = Path(folder) / "proxy.yaml"
        config.write_text(yaml.safe_dump({"hosts": [{"name": HOST_NAME, "url": host_url}]}))
        finished, running = executions(host_url)
        status = "/action/execution/{}/status"
        query = f"?host_name={HOST_NAME}"
        load("host, running", "/host" + status.format(running), {"server": host_url})
        with service(
            "bench.serve", "proxy", "--config", str(config), health_path="/server/health"
        ) as proxy_url:
            both = {"server": proxy_url, "host": host_url}
            load("proxy, running (forwarded)", "/server" + status.format(running) + query, both)
            load("proxy, finished (cached)", "/server" + status.format(finished) + query, both)
        assert still_running(host_url, running), "the running execution ended during the load"
    return figures, costs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    figures, costs = measure(args.seconds, args.connections)
    hello = figures[0]
    print(HEADER.replace("| route |", "| route | vs hello |").replace("|---|", "|---|---:|", 1))
    for f in figures:
        share = f.requests_per_s / hello.requests_per_s
        print(f.row().replace(f"| {f.name} |", f"| {f.name} | {share:.0%} |", 1))
    print("\nCPU per request (server = the process wrk loads):")
    for line in costs:
        print(f"  {line}")
    met = True
    for proxied in figures[2:]:
        ratio = proxied.requests_per_s / hello.requests_per_s
        ok = ratio >= 0.30 and proxied.p99_ms < 30 and not proxied.bad_responses
        met = met and ok
        print(
            f"{proxied.name}: {ratio:.0%} of hello-world (target >= 30%), "
            f"p99 {proxied.p99_ms:.1f} ms (target < 30 ms): {'met' if ok else 'MISSED'}"
        )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
