"""Cancel everything queued or running on one device: the running execution and its queue.

python cancel_device.py --host demo-host-1 --device tv-1
"""

import argparse
import os
import sys

import httpx


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("ORCH_URL", "http://127.0.0.1:8100"))
    parser.add_argument("--host", required=True)
    parser.add_argument("--device", required=True)
    args = parser.parse_args()
    with httpx.Client(base_url=args.url, timeout=30) as client:
        ids = []
        for status in ("queued", "running"):  # the queue first, so nothing moves up meanwhile
            listing = client.get(
                "/server/executions",
                params={"host_name": args.host, "device_id": args.device, "status": status},
            )
            listing.raise_for_status()
            ids += [e["execution_id"] for h in listing.json()["hosts"] for e in h["page"]["items"]]
        for execution_id in ids:
            answer = client.post(
                f"/server/executions/{execution_id}/cancel", params={"host_name": args.host}
            )
            if answer.status_code == 409:  # it ended on its own meanwhile
                continue
            answer.raise_for_status()
            print(f"cancelled {execution_id} ({answer.json()['kind']})")
    print(f"{len(ids)} execution(s) stopped on {args.host}/{args.device}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
