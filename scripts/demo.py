"""The README's demo: a proxy in front of two hosts with simulated TVs and one with WebTV in
Chromium, all on loopback;
the `orch` CLI lists them and runs the library's campaign with live progress; then a testcase
on any simtv-4k of the lab, and the demo's lab history.

Uses the default ports (proxy 8100, hosts 8101 to 8103, the proxy's built-in config;
the web host joins it by registering) when they are free, and free ports with a
temporary config otherwise.
"""

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import yaml
from demo_lab import print_history, run_on_any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PORTS = (8100, 8101, 8102, 8103)
HOSTS = (
    ("demo-host-1", "examples/host.yaml"),
    ("demo-host-2", "examples/host-2.yaml"),
    ("demo-web-host", "examples/web-host.yaml"),  # WebTV in Chromium
)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # As uvicorn does: a port left in TIME_WAIT by a previous run is free to listen on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_healthy(url: str, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise SystemExit(f"the service at {url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)  # not a test: waiting for a process we just started to bind
    raise SystemExit(f"{url} did not become healthy in {seconds} s")


def orch(proxy_url: str, *args: str) -> int:
    """The `orch` CLI, as a user would type it, against the demo's proxy."""
    print(f"\n$ orch {' '.join(args)}", flush=True)
    command = [sys.executable, "-m", "orchestrator_client.cli", "--url", proxy_url, *args]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def run_demo(proxy_url: str) -> int:
    began = datetime.now(UTC)
    print(f"proxy {proxy_url}: two hosts with simulated TVs and a web host behind it")
    orch(proxy_url, "hosts")
    orch(proxy_url, "devices")
    report = ROOT / "var" / "nightly_smoke.junit.xml"  # var/ is git-ignored
    report.parent.mkdir(exist_ok=True)
    report.unlink(missing_ok=True)
    # The library's campaign, live: a progress bar and a table of its testcases.
    code = orch(
        proxy_url,
        *("run", "campaign", "--id", "nightly_smoke", "--host", "demo-host-1"),
        *("--device", "tv-1", "--junit", str(report)),
    )
    lines = report.read_text().count("<testcase") if report.exists() else 0
    print(
        f"\n{report}: {lines} testcases; `orch` exited {code} (0 when the run passed, 1 when not)"
    )
    # The same kind of testcase on a web app: WebTV in the system Chromium.
    web = orch(
        proxy_url,
        *("run", "testcase", "--id", "webtv_set_resolution", "--host", "demo-web-host"),
        *("--device", "web-1"),
    )
    # Any free simtv-4k of the lab, whichever host it is on: the proxy's lab queue chooses.
    anywhere = run_on_any(proxy_url)
    print_history(proxy_url, began, runs=3)
    return code or web or anywhere


def keep_running(proxy_url: str) -> None:
    """Leave the lab up for a look around; Ctrl-C (SIGINT) or SIGTERM stops it."""
    print(f"\nThe lab keeps running: dashboard {proxy_url}/, API {proxy_url}/docs.")
    print("Ctrl-C stops it.", flush=True)
    # Also when started in the background of a shell, which starts it with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        signal.pause()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-scale", default="1.0")
    parser.add_argument("--free-ports", action="store_true", help="never the default ports")
    parser.add_argument("--keep", action="store_true", help="keep the lab running until Ctrl-C")
    args = parser.parse_args()
    defaults_free = not args.free_ports and all(map(port_is_free, DEFAULT_PORTS))
    ports = DEFAULT_PORTS if defaults_free else tuple(free_port() for _ in DEFAULT_PORTS)
    proxy_port, host_ports = ports[0], ports[1:]
    proxy_url = f"http://127.0.0.1:{proxy_port}"
    workdir = tempfile.TemporaryDirectory(prefix="demo-")
    config = Path(workdir.name) / "proxy.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "hosts": [
                    {"name": name, "url": f"http://127.0.0.1:{port}"}
                    for (name, _), port in zip(HOSTS, host_ports, strict=True)
                ]
            }
        )
    )
    quiet = ["--log-level", "warning"]
    host_log = (Path(workdir.name) / "hosts.log").open("ab")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        proxy_args = [] if ports == DEFAULT_PORTS else ["--config", str(config)]
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "proxy_service",
                    "--port",
                    str(proxy_port),
                    *proxy_args,
                    *quiet,
                ],
                cwd=ROOT,
                # The demo ends by showing its history: have the hosts' feeds read often.
                env={**os.environ, "PROXY_FEED_INTERVAL_S": "0.5"},
            )
        )
        wait_healthy(f"{proxy_url}/server/health", processes[0])
        for (_, host_config), port in zip(HOSTS, host_ports, strict=True):
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "host_service",
                        "--port",
                        str(port),
                        "--config",
                        host_config,
                        "--latency-scale",
                        args.latency_scale,
                        "--proxy-url",
                        proxy_url,
                        *quiet,
                    ],
                    cwd=ROOT,
                    # Execution logs go to a file: the terminal is the CLI's live view.
                    stdout=host_log,
                    stderr=subprocess.STDOUT,
                )
            )
        for port, process in zip(host_ports, processes[1:], strict=True):
            wait_healthy(f"http://127.0.0.1:{port}/host/health", process)
        print(f"dashboard: {proxy_url}/", flush=True)
        code = run_demo(proxy_url)
        if args.keep:
            keep_running(proxy_url)
        return code
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # never leave a service behind
                process.kill()
                process.wait()
        host_log.close()
        workdir.cleanup()


if __name__ == "__main__":
    sys.exit(main())
