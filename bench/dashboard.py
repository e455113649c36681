"""The dashboard's figures: time to a rendered device wall of 500 simulated devices, and
how soon the wall shows a status change made on a host.

    .venv/bin/python -m bench.dashboard [--hosts 5] [--per-host 100] [--loads 10] [--changes 200]

Real processes on loopback: a proxy in front of `--hosts` hosts of `--per-host`
simulated TVs each, and the system Chromium driven by Playwright. Part 1 loads `/`
in a fresh tab until every device card is in the page, with the proxy's watch
already running for another tab (warm) and with nobody watching before (cold);
baselines: the same snapshot fetched as JSON by httpx, and a tiny JSON page loaded
in the same browser. Part 2 keeps one tab on the wall, starts short action batches
(a key press, then 300 ms) on devices across the hosts, and records when the page's
DOM shows each device busy and idle again (a MutationObserver, epoch clock) against
the host's own status events (`at` of `queued` and of `completed`; same machine,
same clock): one in five started on its host directly, then 50 started only on the hosts,
one a second, which nothing but the hosts' change feeds tells the proxy of. Baseline: an
SSE client reading the host's event stream directly.
"""

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import yaml
from httpx_sse import connect_sse
from playwright.sync_api import Browser, Page, expect, sync_playwright

from proxy_service.watch.lab import LINGER_S
from tests.processes import service

ROOT = Path(__file__).resolve().parents[1]
UI_MODEL = ROOT / "examples" / "ui" / "simtv.yaml"
TERMINAL = {"completed", "error", "cancelled", "timed_out", "interrupted"}
OBSERVE = """() => {
  window.__seen = [];
  const last = new Map();
  new MutationObserver((records) => {
    const t = performance.timeOrigin + performance.now();
    const element = (r) => (r.target.nodeType === 1 ? r.target : r.target.parentElement);
    const cards = new Set(records.map((r) => element(r)?.closest('[data-device]')));
    for (const card of cards) {
      if (!card) continue;
      const state = card.querySelector('.badge')?.dataset.state;
      if (state && last.get(card.dataset.device) !== state) {
        last.set(card.dataset.device, state);
        window.__seen.push([card.dataset.device, state, t]);
      }
    }
  }).observe(document.querySelector('.wall'), {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ['data-state'],
  });
}"""


@contextmanager
def lab(folder: Path, hosts: int, per_host: int) -> Iterator[tuple[str, dict[str, str]]]:
    urls: dict[str, str] = {}
    with ExitStack() as stack:
        for h in range(hosts):
            name = f"bench-host-{h}"
            tvs = [
                {"id": f"tv-{h}-{i}", "name": f"TV {h}.{i}", "model": "simtv-4k"}
                | {"driver": "simulated", "settings": {"ui_model": str(UI_MODEL)}}
                for i in range(per_host)
            ]
            config = folder / f"{name}.yaml"
            config.write_text(yaml.safe_dump({"host_name": name, "devices": tvs}))
            args = ["--config", str(config), "--journal", "none", "--latency-scale", "0.1"]
            args += ["--log-level", "warning"]
            urls[name] = stack.enter_context(
                service("host_service", *args, health_path="/host/health")
            )
        proxy_config = folder / "proxy.yaml"
        proxy_config.write_text(
            yaml.safe_dump({"hosts": [{"name": n, "url": u} for n, u in urls.items()]})
        )
        proxy = stack.enter_context(
            service(
                "proxy_service",
                *("--config", str(proxy_config), "--log-level", "warning"),
                health_path="/server/health",
            )
        )
        yield proxy, urls


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"{statistics.median(samples):.0f} | {cuts[98]:.0f} | {max(samples):.0f}"


# Injected before the page's own scripts: notes when the last device card is in the DOM.
RENDERED = """new MutationObserver((_, observer) => {
  if (document.querySelectorAll('[data-device]').length >= %d) {
    window.__wallAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true});"""


def open_wall(page: Page, url: str, devices: int) -> None:
    page.goto(url)
    expect(page.locator("[data-device]")).to_have_count(devices, timeout=30_000)


def wall_ms(browser: Browser, url: str, devices: int) -> float:
    """Milliseconds from the navigation's start to every device card in the page."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.add_init_script(RENDERED % devices)
        open_wall(page, url, devices)
        return float(page.evaluate("window.__wallAt"))
    finally:
        page.close()


def part_render(browser: Browser, url: str, devices: int, loads: int) -> None:
    json_ms = []
    for _ in range(loads):
        began = time.perf_counter()
        snapshot = httpx.get(f"{url}/server/watch", timeout=30).json()
        json_ms.append((time.perf_counter() - began) * 1000)
    assert sum(len(h["devices"]) for h in snapshot["hosts"]) == devices
    tiny = []
    for _ in range(loads):
        page = browser.new_page()
        page.goto(f"{url}/server/health")
        tiny.append(float(page.evaluate("performance.now()")))
        page.close()
    keeper = browser.new_page()  # another tab on the wall: the watch is running (warm)
    open_wall(keeper, url, devices)
    warm = [wall_ms(browser, url, devices) for _ in range(loads)]
    keeper.close()
    cold = []
    for _ in range(3):
        time.sleep(LINGER_S + 1)  # nobody watches: the proxy stops reading the hosts
        cold.append(wall_ms(browser, url, devices))
    print(f"\n{devices} devices | median ms | p99 ms | max ms")
    print("---|---:|---:|---:")
    print(f"wall rendered, watch warm ({loads} loads) | {percentiles(warm)}")
    print(f"wall rendered, watch cold (3 loads) | {percentiles(cold)}")
    print(f"baseline: snapshot JSON by httpx | {percentiles(json_ms)}")
    print(f"baseline: a tiny JSON page in the browser | {percentiles(tiny)}")


def epoch_ms(at: str) -> float:
    return datetime.fromisoformat(at).timestamp() * 1000


def action(device: str, host: str | None, wait_ms: int = 300) -> dict[str, Any]:
    key = {"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": wait_ms}
    body: dict[str, Any] = {"device_id": device, "actions": [key]}
    if host is not None:
        body["host_name"] = host
    return body


def status_times(url: str, host: str, execution_id: str) -> tuple[float, float]:
    """`at` of the first (queued) and of the terminal status event, epoch ms."""
    page = httpx.get(
        f"{url}/server/executions/{execution_id}/events",
        params={"host_name": host},
        headers={"Accept": "application/json"},
    ).json()
    statuses = [e for e in page["events"] if e["type"] == "status"]
    assert statuses[-1]["status"] == "completed", statuses[-1]
    return epoch_ms(statuses[0]["at"]), epoch_ms(statuses[-1]["at"])


def shown(seen: list[list[Any]], key: str, state: str, after: float) -> float | None:
    for device, now, t in seen:
        if device == key and now == state and t >= after - 5:
            return float(t) - after
    return None


def part_latency(
    page: Page,
    url: str,
    hosts: dict[str, str],
    devices: list[tuple[str, str]],
    changes: int,
    *,
    direct_every: int = 5,
    pace_s: float = 0.1,
    run_ms: int = 300,
) -> None:
    """`changes` starts, one every `pace_s`; every `direct_every`-th on its host directly."""
    page.evaluate(OBSERVE)
    runs: list[tuple[str, str, str, bool]] = []  # host, device, execution, direct
    for n in range(changes):
        host, device = devices[(n * 37) % len(devices)]  # spread over hosts and devices
        direct = n % direct_every == direct_every - 1
        if direct:
            target, body = f"{hosts[host]}/host", action(device, None, run_ms)
        else:
            target, body = f"{url}/server", action(device, host, run_ms)
        answer = httpx.post(f"{target}/action/executeBatch", json=body)
        answer.raise_for_status()
        runs.append((host, device, answer.json()["execution_id"], direct))
        time.sleep(pace_s)  # pacing of the load (0.1 s: about 4 devices busy at once)
    for host, _, execution_id, _ in runs:
        while True:
            view = httpx.get(
                f"{url}/server/executions/{execution_id}",
                params={"host_name": host, "wait": 10},
                timeout=20,
            ).json()
            if view["status"] in TERMINAL:
                break
    time.sleep(0.5)  # the last changes reach the page
    seen: list[list[Any]] = page.evaluate("window.__seen")
    busy: list[float] = []
    busy_direct: list[float] = []
    idle: list[float] = []
    missed = 0
    for host, device, execution_id, direct in runs:
        queued_at, done_at = status_times(url, host, execution_id)
        key = f"{host}/{device}"
        went_busy = shown(seen, key, "busy", queued_at)
        went_idle = shown(seen, key, "idle", done_at)
        if went_busy is None or went_idle is None:
            missed += 1
            continue
        (busy_direct if direct else busy).append(went_busy)
        idle.append(went_idle)
    print(f"\n{changes} runs, one every {pace_s:g} s ({missed} missed)")
    if busy:
        print(f"started through the proxy -> busy | {len(busy)} | {percentiles(busy)}")
    if missed:
        print(f"missed (never shown busy: over before a reading) | {missed} | | |")
    print(f"completed -> idle | {len(idle)} | {percentiles(idle)}")
    print(f"started on the host directly -> busy | {len(busy_direct)} | {percentiles(busy_direct)}")


def part_baseline(hosts: dict[str, str], devices: list[tuple[str, str]], runs: int) -> None:
    late = []
    for n in range(runs):
        host, device = devices[(n * 37) % len(devices)]
        with httpx.Client(base_url=hosts[host], timeout=20) as client:
            answer = client.post("/host/action/executeBatch", json=action(device, None))
            execution_id = answer.json()["execution_id"]
            with connect_sse(client, "GET", f"/host/executions/{execution_id}/events") as source:
                for sse in source.iter_sse():
                    event = json.loads(sse.data) if sse.data else {}
                    if sse.event == "status" and event["status"] in TERMINAL:
                        late.append(time.time() * 1000 - epoch_ms(event["at"]))
                        break
    print(f"baseline: completed -> SSE client on the host | {runs} | {percentiles(late)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=5)
    parser.add_argument("--per-host", type=int, default=100)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--changes", type=int, default=200)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    assert chromium is not None, "needs Debian's chromium"
    total = args.hosts * args.per_host
    with (
        tempfile.TemporaryDirectory() as folder,
        lab(Path(folder), args.hosts, args.per_host) as (url, hosts),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=chromium)
        try:
            part_render(browser, url, total, args.loads)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            open_wall(page, url, total)
            devices = [
                (f"bench-host-{h}", f"tv-{h}-{i}")
                for h in range(args.hosts)
                for i in range(args.per_host)
            ]
            print("\nstatus change on a host -> wall shows it")
            print("change | runs | median ms | p99 ms | max ms")
            print("---|---:|---:|---:|---:")
            part_latency(page, url, hosts, devices, args.changes)
            # Only starts made on the hosts, one a second, each running 2.5 s: the proxy relays
            # nothing, so only the hosts' change feeds can tell the watch.
            part_latency(page, url, hosts, devices, 50, direct_every=1, pace_s=1.0, run_ms=2500)
            part_baseline(hosts, devices, 50)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
