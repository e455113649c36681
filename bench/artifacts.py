"""What keeping evidence costs a failed step: capture, file, record and journal.

    .venv/bin/python -m bench.artifacts [--steps 200] [--rounds 5]

A host in-process with its SQLite journal and a simulated TV at latency 0 runs a
verification batch of N failing checks with `capture: never` (the baseline) and with
`capture: always`, alternately; the cost per step is the difference of the medians / N.
The simulated TV draws a frame once per screen (cached), so this is the host's own cost:
the PNG written, the record and journal updated, the event sent.
"""

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path
from typing import Any

import httpx
import yaml
from asgi_lifespan import LifespanManager

from host_service import HostSettings, create_app
from tests.conftest import UI_MODEL

ABSENT = {"type": "text", "command": "check_text", "params": {"text": "Nothing shows this"}}


async def measure(steps: int, rounds: int) -> tuple[float, float, int]:
    folder = Path(tempfile.mkdtemp(prefix="bench-artifacts-"))
    device = {
        "id": "tv-1",
        "name": "tv",
        "model": "simtv-4k",
        "driver": "simulated",
        "settings": {"ui_model": str(UI_MODEL)},
    }
    config = folder / "host.yaml"
    config.write_text(yaml.safe_dump({"host_name": "bench", "devices": [device]}))
    settings = HostSettings(
        config_path=config, latency_scale=0, gc_tuning=False, max_artifacts=steps
    )
    app = create_app(settings)
    times: dict[str, list[float]] = {"never": [], "always": []}
    size = 0
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://h") as client:

            async def run(capture: str) -> dict[str, Any]:
                body = {"device_id": "tv-1", "verifications": [ABSENT] * steps, "capture": capture}
                answer = await client.post("/host/verification/executeBatch", json=body)
                assert answer.status_code == 202, answer.text
                url = f"/host/executions/{answer.json()['execution_id']}"
                while True:
                    view: dict[str, Any] = (await client.get(url, params={"wait": 5})).json()
                    if view["status"] not in ("queued", "running"):
                        return view

            await run("always")  # warm: the frame drawn, the folders made
            for _ in range(rounds):
                for capture in ("never", "always"):
                    view = await run(capture)
                    times[capture].append(view["elapsed_ms"])
                    if capture == "always":
                        assert len(view["artifacts"]) == steps, view["artifacts_dropped"]
                        size = view["artifacts"][0]["bytes"]
    return statistics.median(times["never"]), statistics.median(times["always"]), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    never, always, size = asyncio.run(measure(args.steps, args.rounds))
    print(f"{args.steps} failing checks, medians of {args.rounds} runs each:")
    print(f"  capture never  (baseline): {never:.0f} ms, {never / args.steps:.2f} ms per step")
    print(f"  capture always: {always:.0f} ms ({always / never:.2f}x)")
    print(f"  keeping a {size:,}-byte screenshot: {(always - never) / args.steps:.2f} ms per step")


if __name__ == "__main__":
    main()
