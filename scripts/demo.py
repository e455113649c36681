"""The README's demo: a proxy in front of two hosts with simulated TVs, all on loopback.

Uses the default ports (proxy 8100, hosts 8101 and 8102, the proxy's built-in
config) when they are free, and free ports with a temporary config otherwise.
"""

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PORTS = (8100, 8101, 8102)
HOSTS = (("demo-host-1", "examples/host.yaml"), ("demo-host-2", "examples/host-2.yaml"))


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


def follow(client: httpx.Client, host_name: str, execution_id: str) -> dict[str, Any]:
    last = ""
    while True:
        view = client.get(
            f"/server/executions/{execution_id}", params={"host_name": host_name, "wait": 5}
        ).json()
        line = f"  {view['status']:<10} {view['progress']:>3}%  {view['message']}"
        if line != last:
            print(line)
            last = line
        if view["status"] not in ("queued", "running"):
            return dict(view)


def press(*keys: str) -> list[dict[str, Any]]:
    return [{"command": "press_key", "params": {"key": k}, "wait_time_ms": 200} for k in keys]


def run_demo(proxy_url: str) -> int:
    with httpx.Client(base_url=proxy_url, timeout=30) as client:
        print(f"proxy {proxy_url}")
        for host in client.get("/server/hosts").json():
            beat = (host["last_heartbeat"] or "-")[11:19]
            print(
                f"  {host['host_name']:<12} {host['status']:<8} {host['url']:<24} heartbeat {beat}"
            )
        print("\ndevices of every host, in one request:")
        for host in client.get("/server/devices").json()["hosts"]:
            for device in host["devices"]:
                print(f"  {host['host_name']:<12} {device['device_id']:<6} {device['name']}")
        print("\naction batch on demo-host-1 / tv-1, through the proxy: guide, then recordings")
        started = client.post(
            "/server/action/executeBatch",
            json={
                "host_name": "demo-host-1",
                "device_id": "tv-1",
                "actions": press("HOME", "GUIDE", "RIGHT"),
            },
        )
        answer = started.json()
        print(f"  {started.status_code} {answer['execution_id']}  follow: {answer['status_url']}")
        follow(client, "demo-host-1", answer["execution_id"])
        print("\nverification on demo-host-1 / tv-1: are we on the recordings screen?")
        started = client.post(
            "/server/verification/executeBatch",
            json={
                "host_name": "demo-host-1",
                "device_id": "tv-1",
                "verifications": [
                    {
                        "type": "screen",
                        "command": "check_screen",
                        "params": {"screen": "recordings"},
                    },
                    {
                        "type": "text",
                        "command": "wait_for_text_to_appear",
                        "params": {"text": "My recordings"},
                        "timeout_s": 3,
                    },
                ],
            },
        )
        view = follow(client, "demo-host-1", started.json()["execution_id"])
        print("\nthe other host, same front door: demo-host-2 / tv-21 to the home screen")
        other = client.post(
            "/server/action/executeBatch",
            json={"host_name": "demo-host-2", "device_id": "tv-21", "actions": press("HOME")},
        )
        follow(client, "demo-host-2", other.json()["execution_id"])
        success = bool(view["result"]["success"])
        print(f"\nverification passed: {success}")
        return 0 if success else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-scale", default="1.0")
    parser.add_argument("--free-ports", action="store_true", help="never the default ports")
    args = parser.parse_args()
    defaults_free = not args.free_ports and all(map(port_is_free, DEFAULT_PORTS))
    ports = DEFAULT_PORTS if defaults_free else (free_port(), free_port(), free_port())
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
                )
            )
        for port, process in zip(host_ports, processes[1:], strict=True):
            wait_healthy(f"http://127.0.0.1:{port}/host/health", process)
        return run_demo(proxy_url)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        workdir.cleanup()


if __name__ == "__main__":
    sys.exit(main())
