"""The README's demo: start a host with simulated TVs, run executions, show them live."""

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


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


def follow(client: httpx.Client, execution_id: str) -> dict[str, object]:
    last = ""
    while True:
        view = client.get(f"/host/executions/{execution_id}", params={"wait": 5}).json()
        line = f"  {view['status']:<10} {view['progress']:>3}%  {view['message']}"
        if line != last:
            print(line)
            last = line
        if view["status"] not in ("queued", "running"):
            return dict(view)


def run_demo(base_url: str) -> int:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        devices = client.get("/host/devices").json()
        print(f"host {base_url}: {len(devices)} devices")
        for device in devices:
            print(f"  {device['device_id']:<6} {device['name']:<18} {device['state']}")
        print("\naction batch on tv-1: open the guide, then the recordings")
        started = client.post(
            "/host/action/executeBatch",
            json={
                "device_id": "tv-1",
                "actions": [
                    {"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": 200},
                    {"command": "press_key", "params": {"key": "GUIDE"}, "wait_time_ms": 300},
                    {"command": "press_key", "params": {"key": "RIGHT"}},
                ],
            },
        )
        print(f"  {started.status_code} {started.json()['execution_id']}")
        view = follow(client, started.json()["execution_id"])
        print("\nverification batch on tv-1: are we on the recordings screen?")
        started = client.post(
            "/host/verification/executeBatch",
            json={
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
        view = follow(client, started.json()["execution_id"])
        result = view["result"]
        assert isinstance(result, dict)
        print(f"\nverification passed: {result['success']}")
        return 0 if result["success"] else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-scale", default="1.0")
    args = parser.parse_args()
    port = free_port()
    host = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "host_service",
            "--port",
            str(port),
            "--latency-scale",
            args.latency_scale,
        ],
        cwd=ROOT,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/host/health", host)
        return run_demo(f"http://127.0.0.1:{port}")
    finally:
        host.terminate()
        host.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
