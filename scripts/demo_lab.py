"""The demo's lab part: a testcase on "any simtv-4k" through the proxy's lab queue, then the
demo's history as the proxy recorded it from the hosts' feeds (`GET /server/history`)."""

import time
from datetime import datetime
from typing import Any

import httpx

MODEL = "simtv-4k"
TESTCASE = "open_guide"
ROW = "{:<9} {:<22} {:<9} {:<22} {:<10} {}"


def run_on_any(proxy_url: str) -> int:
    """Start the testcase on any free simtv-4k; print where it went and how it ended."""
    body = {"testcase_id": TESTCASE, "device_selector": {"model": MODEL}}
    print(f"\n$ POST {proxy_url}/server/testcase/execute {body}", flush=True)
    with httpx.Client(base_url=proxy_url, timeout=30) as client:
        started = client.post("/server/testcase/execute", json=body)
        started.raise_for_status()
        lab_id = started.json()["execution_id"]
        print(f"accepted: lab execution {lab_id}, waiting for any {MODEL}")
        view: dict[str, Any] = client.get(f"/server/executions/{lab_id}").json()
        give_up = time.monotonic() + 120
        while view["status"] in ("queued", "running") and time.monotonic() < give_up:
            # Long-polls: answers when the status moves (the hand-over to a host included).
            view = client.get(f"/server/executions/{lab_id}", params={"wait": 10}).json()
    passed = view["status"] == "completed" and bool((view.get("result") or {}).get("success"))
    verdict = "PASSED" if passed else f"FAILED ({view['status']})"
    why = "" if passed else f": {view['message']}"
    print(f"any {MODEL}: ran on {view['host_name']}/{view['device_id']}, {verdict}{why}")
    return 0 if passed else 1


def print_history(proxy_url: str, since: datetime, runs: int) -> None:
    """The demo's runs in the lab history, once the proxy has read them from the hosts."""
    params: dict[str, str | int] = {"started_after": since.isoformat(), "limit": 20}
    print(f"\n$ GET {proxy_url}/server/history?started_after=<the demo's start>", flush=True)
    items: list[dict[str, Any]] = []
    give_up = time.monotonic() + 20  # the proxy reads each host's feed every 2 s
    with httpx.Client(base_url=proxy_url, timeout=10) as client:
        while len(items) < runs and time.monotonic() < give_up:
            items = client.get("/server/history", params=params).json()["items"]
            if len(items) < runs:
                time.sleep(0.2)  # not a test: waiting for the feed's next read
    print(f"history of the demo: {len(items)} executions, newest first")
    print(ROW.format("started", "host/device", "kind", "definition", "status", "passed"))
    for item in items:
        print(
            ROW.format(
                datetime.fromisoformat(item["created_at"]).strftime("%H:%M:%S"),
                f"{item['host_name']}/{item['device_id']}",
                item["kind"],
                item["definition_id"] or "-",
                item["status"],
                {True: "yes", False: "no", None: "-"}[item["success"]],
            )
        )
