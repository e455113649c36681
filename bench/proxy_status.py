"""Status GET through the proxy vs directly on the host vs a hello-world route, in one run.

    .venv/bin/python bench/proxy_status.py [--clients 32] [--seconds 5]

Real processes on 127.0.0.1, one uvicorn worker each with the same settings
(bench/serve.py). Targets: proxy throughput >= 30% of hello-world, proxy p99 < 30 ms.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvloop
import yaml

from bench.load import LoadResult, load

ROOT = Path(__file__).resolve().parents[1]
HOST_NAME = "demo-host-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(app: str, port: int, *args: str) -> Iterator[None]:
    process = subprocess.Popen(
        [sys.executable, "bench/serve.py", app, "--port", str(port), *args], cwd=ROOT
    )
    try:
        give_up = time.monotonic() + 20
        while True:
            assert process.poll() is None, f"{app} exited with {process.returncode}"
            assert time.monotonic() < give_up, f"{app} did not start"
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)  # waiting for a process we just started to bind
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def one_execution(host_port: int) -> str:
    with httpx.Client(base_url=f"http://127.0.0.1:{host_port}", timeout=10) as client:
        started = client.post(
            "/host/action/executeBatch",
            json={
                "device_id": "tv-1",
                "actions": [{"command": "press_key", "params": {"key": "HOME"}}],
            },
        )
        execution_id: str = started.json()["execution_id"]
        client.get(f"/host/executions/{execution_id}", params={"wait": 5})
        return execution_id


def line(name: str, result: LoadResult, baseline: LoadResult) -> str:
    ratio = result.throughput / baseline.throughput
    return (
        f"{name:<12} {result.throughput:>9.0f} req/s  {ratio:>6.0%}"
        f"  p50 {result.percentile_ms(50):>6.2f} ms  p99 {result.percentile_ms(99):>6.2f} ms"
        f"  errors {result.errors}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=1)
    args = parser.parse_args()
    hello_port, host_port, proxy_port = free_port(), free_port(), free_port()
    with tempfile.TemporaryDirectory() as workdir:
        config = Path(workdir) / "proxy.yaml"
        config.write_text(
            yaml.safe_dump({"hosts": [{"name": HOST_NAME, "url": f"http://127.0.0.1:{host_port}"}]})
        )

        def measure(port: int, path: str) -> LoadResult:
            return uvloop.run(load(port, path, args.clients, args.seconds, args.warmup))

        with served("hello", hello_port):
            hello = measure(hello_port, "/hello")
        with served("host", host_port, "--config", "examples/host.yaml"):
            execution_id = one_execution(host_port)
            status = f"/action/execution/{execution_id}/status"
            direct = measure(host_port, f"/host{status}")
            with served("proxy", proxy_port, "--config", str(config)):
                proxied = measure(proxy_port, f"/server{status}?host_name={HOST_NAME}")
    print(
        f"status GET, {args.clients} concurrent clients, {args.seconds:g} s each, "
        f"one uvicorn worker per process, {sys.platform} with {os.cpu_count()} CPUs"
    )
    print(f"{'':<12} {'throughput':>15}  {'vs hello':>6}")
    print(line("hello-world", hello, hello))
    print(line("host direct", direct, hello))
    print(line("via proxy", proxied, hello))
    ratio = proxied.throughput / hello.throughput
    p99 = proxied.percentile_ms(99)
    print(
        f"targets: proxy >= 30% of hello-world: {ratio:.0%} "
        f"{'MET' if ratio >= 0.30 else 'MISSED'}; proxy p99 < 30 ms: {p99:.1f} ms "
        f"{'MET' if p99 < 30 else 'MISSED'}"
    )
    return 0 if ratio >= 0.30 and p99 < 30 and not proxied.errors else 1


if __name__ == "__main__":
    sys.exit(main())
