"""Real drivers: the orchestrator's own cost per step on the web driver, capture per driver,
and one OCR read of a 1280x720 frame.

    .venv/bin/python -m bench.drivers [--steps 100] [--rounds 20]

Orchestrator cost: a host in-process with a `web` device (WebTV in Chromium) runs a
navigation of N steps (each edge fills the search field, each node checks the results
line); cost per step = (execution time - time inside the driver's calls) / N, the
driver's time read from its own call log.
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml
from asgi_lifespan import LifespanManager

from host_service import HostSettings, create_app
from host_service.drivers.adb import AdbDriver
from host_service.drivers.simulated import load_ui_model
from host_service.drivers.visual import TextReader, decode_png
from host_service.drivers.web import WebDriver
from host_service.runtime.cancel import CancelToken
from tests.conftest import LIBRARY, UI_MODEL
from tests.host_service.drivers.fake_adb import AndroidTV, RunningAdbServer
from tests.host_service.drivers.test_simulated_tv import press, tv
from tests.processes import REPO

WEBAPP = REPO / "examples" / "webapp"


def chain(steps: int) -> dict[str, Any]:
    """A tree n0 -> n1 -> ... on WebTV's search screen: fill, then check the results."""
    nodes = [
        {
            "id": "n0",
            "label": "Search",
            "type": "entry",
            "verifications": [
                {
                    "type": "element",
                    "command": "wait_for_element",
                    "params": {"selector": "#search-field"},
                }
            ],
        }
    ]
    edges = []
    for i in range(1, steps + 1):
        text = f"step-{i:04d}"
        check = {
            "type": "text",
            "command": "wait_for_text_to_appear",
            "params": {"text": f"Results for {text}"},
        }
        nodes.append({"id": f"n{i}", "label": text, "verifications": [check]})
        fill = {"command": "fill", "params": {"selector": "#search-field", "text": text}}
        edges.append({"source": f"n{i - 1}", "target": f"n{i}", "actions": [fill]})
    return {"id": "chain", "name": "chain", "nodes": nodes, "edges": edges}


async def orchestrator_cost(steps: int) -> tuple[float, float, float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-drivers-"))
    device = {
        "id": "web-1",
        "name": "WebTV",
        "model": "webtv",
        "driver": "web",
        "settings": {"start_url": "index.html#/search", "static_dir": str(WEBAPP)},
    }
    config = folder / "host.yaml"
    config.write_text(yaml.safe_dump({"host_name": "bench", "devices": [device]}))
    settings = HostSettings(config_path=config, journal="none", gc_tuning=False)
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://h") as client:
            tree = chain(steps)

            async def navigate(target: str) -> dict[str, Any]:
                body = {"device_id": "web-1", "target_node_id": target, "tree": tree}
                answer = await client.post("/host/navigation/execute/chain", json=body)
                assert answer.status_code == 202, answer.text
                url = f"/host/executions/{answer.json()['execution_id']}"
                while True:
                    view: dict[str, Any] = (await client.get(url, params={"wait": 5})).json()
                    if view["status"] not in ("queued", "running"):
                        return view

            await navigate("n0")  # the device's position is known from here on
            view = await navigate(f"n{steps}")
            assert view["result"]["success"], view["result"]
            driver = manager._state["host"].devices.get("web-1").driver
            inside = sum(
                c.finished - c.started
                for c in driver.calls.snapshot()
                if c.execution_id == view["execution_id"]
            )
            total_ms = view["elapsed_ms"]
            inside_ms = inside * 1000
            return total_ms, inside_ms, (total_ms - inside_ms) / steps


def median_ms(fn: Any, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def capture_figures(rounds: int) -> dict[str, float]:
    token = CancelToken()
    simulated = tv()
    press(simulated, "MENU")
    figures = {"simulated": median_ms(lambda: simulated.capture(token), rounds)}
    with RunningAdbServer() as server:
        server.fake.add("bench", AndroidTV(load_ui_model(UI_MODEL)))
        adb = AdbDriver.from_settings({"serial": "bench", "adb_server": server.address}, LIBRARY, 1)
        await adb.open()
        figures["adb (fake server, loopback)"] = median_ms(lambda: adb.capture(token), rounds)
        await adb.aclose()
    web = WebDriver.from_settings({"start_url": "index.html", "static_dir": str(WEBAPP)}, REPO, 1)
    await web.open()
    figures["web (Chromium page screenshot)"] = median_ms(lambda: web.capture(token), rounds)
    await web.aclose()
    return figures


def ocr_ms(rounds: int) -> float:
    simulated = tv()
    press(simulated, "MENU")
    frame = decode_png(simulated.capture(CancelToken()))
    reader = TextReader()
    return median_ms(lambda: reader.read(frame, "eng", CancelToken()), rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    # Each in its own loop: the host's lifespan leaves its loop's executor shut down.
    total, inside, per_step = asyncio.run(orchestrator_cost(args.steps))
    print(
        f"web navigation, {args.steps} steps: {total:.0f} ms in all, {inside:.0f} ms in the driver"
    )
    print(f"  orchestrator's own cost per step: {per_step:.2f} ms (target < 2 ms)")
    for name, ms in asyncio.run(capture_figures(args.rounds)).items():
        print(f"capture, {name}: median {ms:.1f} ms over {args.rounds}")
    print(f"ocr of a 1280x720 frame (tesseract, 1 thread): median {ocr_ms(10):.0f} ms over 10")


if __name__ == "__main__":
    main()
