"""Status GET through the proxy, directly on the host, and on a hello-world route, in one run.

Each app runs in its own uvicorn process with the same settings (bench/serve.py),
loaded by wrk with 32 connections. Targets: through the proxy, at least 30% of
the hello-world throughput and a p99 under 30 ms.

    python -m bench.proxy_status [--seconds N] [--connections N]
"""

import argparse
import tempfile
from pathlib import Path

import httpx
import yaml

from bench.wrk import HEADER, WrkFigures, lua_get, run_wrk
from tests.processes import service

HOST_NAME = "demo-host-1"


def finished_execution(host_url: str) -> str:
    """One finished action execution whose status the load reads."""
    with httpx.Client(base_url=host_url, timeout=30) as client:
        started = client.post(
            "/host/action/executeBatch",
            json={
                "device_id": "tv-1",
                "actions": [{"command": "press_key", "params": {"key": "OK"}}],
            },
        )
        execution_id: str = started.json()["execution_id"]
        client.get(f"/host/executions/{execution_id}", params={"wait": 10})
        return execution_id


def measure(seconds: int, connections: int) -> tuple[WrkFigures, WrkFigures, WrkFigures]:
    def load(name: str, url: str, path: str) -> WrkFigures:
        return run_wrk(name, url, lua_get([path]), seconds=seconds, connections=connections)

    with service("bench.serve", "hello", health_path="/hello") as url:
        hello = load("hello-world GET", url, "/hello")
    with (
        service("bench.serve", "host", health_path="/host/health") as host_url,
        tempfile.TemporaryDirectory() as folder,
    ):
        config = Path(folder) / "proxy.yaml"
        config.write_text(yaml.safe_dump({"hosts": [{"name": HOST_NAME, "url": host_url}]}))
        status = f"/action/execution/{finished_execution(host_url)}/status"
        direct = load(f"GET /host{status[:18]}.../status", host_url, f"/host{status}")
        with service(
            "bench.serve", "proxy", "--config", str(config), health_path="/server/health"
        ) as proxy_url:
            proxied = load(
                f"GET /server{status[:18]}.../status",
                proxy_url,
                f"/server{status}?host_name={HOST_NAME}",
            )
    return hello, direct, proxied


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    hello, direct, proxied = measure(args.seconds, args.connections)
    print(HEADER)
    for figures in (hello, direct, proxied):
        print(figures.row())
    ratio = proxied.requests_per_s / hello.requests_per_s
    print(f"\nhost direct: {direct.requests_per_s / hello.requests_per_s:.0%} of hello-world")
    print(
        f"through the proxy: {ratio:.0%} of hello-world (target >= 30%), "
        f"p99 {proxied.p99_ms:.1f} ms (target < 30 ms)"
    )
    met = ratio >= 0.30 and proxied.p99_ms < 30 and not proxied.bad_responses
    print("targets met" if met else "TARGETS MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
