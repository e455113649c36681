"""What navigation costs next to the hand-written batches it replaces, and its start cost.

Part 1: a host process with one simulated TV at zero latency; rounds of "go to
Settings > Display > Resolution, then back home", once by navigation (planning,
probes, per-step checks, position tracking) and once by the equivalent action and
verification batches, alternating. Wall-clock per round as a client sees it.
Part 2: start-route latency (POST -> 202) of a navigation on a generated 500-node
tree next to an action batch start, sequential requests, medians.

    .venv/bin/python -m bench.navigation [--rounds 30] [--starts 200]
"""

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.processes import REPO, service

TERMINAL = {"completed", "error", "cancelled", "timed_out", "interrupted"}
KEY = "press_key"


def _config(folder: Path) -> Path:
    library = folder / "library"
    shutil.copytree(REPO / "examples" / "library", library)
    check_home = [{"type": "screen", "command": "check_screen", "params": {"screen": "home"}}]
    nodes = [{"id": f"n{i}", "label": f"N{i}", "verifications": check_home} for i in range(500)]
    nodes[0]["type"] = "entry"
    edges = [
        {
            "source": f"n{i}",
            "target": f"n{i + 1}",
            "actions": [{"command": KEY, "params": {"key": "RIGHT"}}],
            "reverse": {"actions": [{"command": KEY, "params": {"key": "LEFT"}}]},
        }
        for i in range(499)
    ]
    big = {"id": "grid500", "name": "500 nodes", "nodes": nodes, "edges": edges}
    big["global_edges"] = [
        {"target": "n0", "actions": [{"command": KEY, "params": {"key": "HOME"}}]}
    ]
    (library / "trees" / "grid500.yaml").write_text(yaml.safe_dump(big))
    device = {
        "id": "tv-1",
        "name": "Bench TV",
        "model": "simtv-4k",
        "settings": {"ui_model": str(REPO / "examples" / "ui" / "simtv.yaml")},
    }
    config = folder / "host.yaml"
    config.write_text(
        yaml.safe_dump({"host_name": "bench", "library_path": str(library), "devices": [device]})
    )
    return config


def run(client: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json={"device_id": "tv-1", **body})
    assert response.status_code == 202, response.text
    execution_id = response.json()["execution_id"]
    while True:
        view: dict[str, Any] = client.get(
            f"/host/executions/{execution_id}", params={"wait": 5}
        ).json()
        if view["status"] in TERMINAL:
            assert view["status"] == "completed", view
            assert view["result"]["success"], view
            return view


def keys(*names: str) -> dict[str, Any]:
    return {"actions": [{"command": KEY, "params": {"key": k}} for k in names]}


def checks(screen: str, element: str | None = None) -> dict[str, Any]:
    items = [{"type": "screen", "command": "check_screen", "params": {"screen": screen}}]
    if element:
        items.append(
            {"type": "element", "command": "check_element", "params": {"element": element}}
        )
    return {"verifications": items}


def by_navigation(client: httpx.Client) -> None:
    nav = "/host/navigation/execute/simtv"
    run(client, nav, {"target_node_id": "settings_display_resolution"})
    run(client, nav, {"target_node_id": "home"})


def by_batches(client: httpx.Client) -> None:
    run(client, "/host/action/executeBatch", keys("MENU", "OK", "OK"))
    run(
        client,
        "/host/verification/executeBatch",
        checks("settings_display_resolution", "resolution_list"),
    )
    run(client, "/host/action/executeBatch", keys("HOME"))
    run(client, "/host/verification/executeBatch", checks("home"))


def timed(action: Any, client: httpx.Client) -> float:
    started = time.perf_counter()
    action(client)
    return (time.perf_counter() - started) * 1000


def start_latency(client: httpx.Client, path: str, body: dict[str, Any], count: int) -> float:
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.post(path, json={"device_id": "tv-1", **body})
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 202, response.text
    return statistics.median(latencies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--starts", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = _config(Path(tmp))
        host_args = ("--config", str(config), "--latency-scale", "0")
        with (
            service("host_service", *host_args, health_path="/host/health") as url,
            httpx.Client(base_url=url, timeout=30) as client,
        ):
            by_navigation(client)  # warm-up: planner built, position tracked
            nav, raw = [], []
            for _ in range(args.rounds):
                nav.append(timed(by_navigation, client))
                raw.append(timed(by_batches, client))
            nav_ms, raw_ms = statistics.median(nav), statistics.median(raw)
            print(f"round trip home -> resolution -> home, median of {args.rounds}:")
            print(f"  navigation           {nav_ms:7.1f} ms")
            print(f"  hand-written batches {raw_ms:7.1f} ms")
            print(f"  ratio                {nav_ms / raw_ms:7.2f}")
            big = "/host/navigation/execute/grid500"
            cold = start_latency(client, big, {"target_node_id": "n499"}, 1)  # builds the planner
            start_latency(client, big, {"target_node_id": "n499"}, 5)  # warm-up
            nav_start = start_latency(client, big, {"target_node_id": "n499"}, args.starts)
            batch = "/host/action/executeBatch"
            raw_start = start_latency(client, batch, keys("OK"), args.starts)
            print(f"start route, median of {args.starts} sequential POSTs:")
            print(f"  navigation, 500-node tree {nav_start:6.2f} ms (first start: {cold:.1f} ms)")
            print(f"  action batch              {raw_start:6.2f} ms")
            print(f"  ratio                     {nav_start / raw_start:6.2f}")


if __name__ == "__main__":
    main()
