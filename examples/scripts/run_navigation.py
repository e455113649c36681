"""Navigate a device to a node of a tree through the proxy, and wait for the result.

    python run_navigation.py --host demo-host-1 --device tv-1 --tree simtv --target "TV Guide"

Exit code: 0 when the device got there, 1 when it did not, 2 when the request was refused.
"""

import argparse
import os
import sys
from typing import Any

import httpx


def wait(client: httpx.Client, host: str, execution_id: str) -> dict[str, Any]:
    """Long-poll the status: each request returns as soon as the status changes (or in 20 s)."""
    while True:
        answer = client.get(
            f"/server/executions/{execution_id}", params={"host_name": host, "wait": 20}
        )
        answer.raise_for_status()
        view: dict[str, Any] = answer.json()
        print(f"{view['status']:<10} {view['progress']:>3}%  {view['message']}")
        if view["status"] not in ("queued", "running"):
            return view


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("ORCH_URL", "http://127.0.0.1:8100"))
    parser.add_argument("--host", required=True)
    parser.add_argument("--device", required=True)
    parser.add_argument("--tree", required=True)
    parser.add_argument("--target", required=True, help="label of the node to reach")
    args = parser.parse_args()
    with httpx.Client(base_url=args.url, timeout=30) as client:
        started = client.post(
            f"/server/navigation/execute/{args.tree}",
            json={
                "host_name": args.host,
                "device_id": args.device,
                "target_node_label": args.target,
            },
        )
        if started.is_error:
            print(f"refused: {started.status_code} {started.json()['message']}", file=sys.stderr)
            return 2
        view = wait(client, args.host, started.json()["execution_id"])
    result = view.get("result") or {}
    path = " -> ".join(node["label"] for node in result.get("path", []))
    print(f"path: {path or '(already there)'}")
    return 0 if view["status"] == "completed" and result.get("success") else 1


if __name__ == "__main__":
    sys.exit(main())
