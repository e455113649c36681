"""Status GET through the proxy, directly on the host, and on a hello-world route, in one run.

Each app runs in its own uvicorn process with the same settings (bench/serve.py),
loaded by wrk with 32 connections. Two executions are read: a finished one (the
proxy answers it from its cache of finished views) and a running one (forwarded
to the host on every request). Targets: through the proxy, at least 30% of the
hello-world throughput and a p99 under 30 ms.

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
        assert (
            client.get(f"/host/executions/{finished}", params={"wait": 10}).json()["status"]
            == "completed"
        )
        running = start("tv-2", {**PRESS, "wait_time_ms": 600_000}, 600)
        return finished, running


def still_running(host_url: str, execution_id: str) -> bool:
    view = httpx.get(f"{host_url}/host/executions/{execution_id}", timeout=10).json()
    return bool(view["status"] == "running")


def measure(seconds: int, connections: int) -> list[WrkFigures]:
    def load(name: str, url: str, path: str) -> WrkFigures:
        return run_wrk(name, url, lua_get([path]), seconds=seconds, connections=connections)

    with service("bench.serve", "hello", health_path="/hello") as url:
        figures = [load("hello-world GET", url, "/hello")]
    with (
        service("bench.serve", "host", health_path="/host/health") as host_url,
        tempfile.TemporaryDirectory() as folder,
    ):
        config = Path(folder) / "proxy.yaml"
        config.write_text(yaml.safe_dump({"hosts": [{"name": HOST_NAME, "url": host_url}]}))
        finished, running = executions(host_url)
        status = "/action/execution/{}/status"
        query = f"?host_name={HOST_NAME}"
        figures.append(load("host, running", host_url, "/host" + status.format(running)))
        with service(
            "bench.serve", "proxy", "--config", str(config), health_path="/server/health"
        ) as proxy_url:
            figures.append(
                load(
                    "proxy, running (forwarded)",
                    proxy_url,
                    "/server" + status.format(running) + query,
                )
            )
            figures.append(
                load(
                    "proxy, finished (cached)",
                    proxy_url,
                    "/server" + status.format(finished) + query,
                )
            )
        assert still_running(host_url, running), "the running execution ended during the load"
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    figures = measure(args.seconds, args.connections)
    hello = figures[0]
    print(HEADER.replace("| route |", "| route | vs hello |").replace("|---|", "|---|---:|", 1))
    for f in figures:
        share = f.requests_per_s / hello.requests_per_s
        print(f.row().replace(f"| {f.name} |", f"| {f.name} | {share:.0%} |", 1))
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
