"""Run a library campaign on every idle device of one model, on every host, and wait for all.

    python campaign_on_idle_devices.py --model simtv-4k --campaign nightly_smoke

Exit code: 0 when every run passed, 1 when one failed, 2 when no device was idle.
"""

import argparse
import os
import sys
from typing import Any

import httpx


def idle_devices(client: httpx.Client, model: str) -> list[tuple[str, str]]:
    """(host, device) pairs; hosts that do not answer are listed with an error and skipped."""
    listing = client.get("/server/devices")
    listing.raise_for_status()
    return [
        (host["host_name"], device["device_id"])
        for host in listing.json()["hosts"]
        for device in host["devices"]
        if device["model"] == model and device["state"] == "idle"
    ]


def wait(client: httpx.Client, host: str, execution_id: str) -> dict[str, Any]:
    while True:
        answer = client.get(
            f"/server/executions/{execution_id}", params={"host_name": host, "wait": 20}
        )
        answer.raise_for_status()
        view: dict[str, Any] = answer.json()
        if view["status"] not in ("queued", "running"):
            return view


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("ORCH_URL", "http://127.0.0.1:8100"))
    parser.add_argument("--model", required=True)
    parser.add_argument("--campaign", required=True, help="campaign id in the hosts' library")
    args = parser.parse_args()
    with httpx.Client(base_url=args.url, timeout=30) as client:
        targets = idle_devices(client, args.model)
        if not targets:
            print(f"no idle device of model {args.model}", file=sys.stderr)
            return 2
        started = []
        for host, device in targets:  # every start answers at once: the runs go in parallel
            answer = client.post(
                "/server/campaign/execute",
                json={"host_name": host, "device_id": device, "campaign_id": args.campaign},
            )
            answer.raise_for_status()
            started.append((host, device, answer.json()["execution_id"]))
        passed = 0
        for host, device, execution_id in started:
            view = wait(client, host, execution_id)
            ok = view["status"] == "completed" and view["result"]["success"]
            passed += ok
            print(f"{host}/{device}: {'passed' if ok else 'FAILED'} ({view['status']})")
    print(f"{passed} of {len(started)} devices passed {args.campaign}")
    return 0 if passed == len(started) else 1


if __name__ == "__main__":
    sys.exit(main())
