"""Screenshots of the dashboard for docs/: the device wall while a campaign runs, and that
campaign's execution page once it ended. Against a running lab (`./scripts/demo --keep`):

    .venv/bin/python scripts/dashboard_screenshots.py --url http://127.0.0.1:8100 --out docs

Drives the system Chromium through Playwright, like the dashboard's tests (which run it).
"""

import argparse
import shutil
import sys
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect, sync_playwright

WALL = "dashboard-wall.png"
EXECUTION = "dashboard-execution.png"


def shoot(page: Page, url: str, host: str, device: str, out: Path, wait_s: float) -> None:
    page.goto(url)
    expect(page.locator(".wall")).to_have_attribute("data-loaded", "true")
    started = httpx.post(
        f"{url}/server/campaign/execute",
        json={"host_name": host, "device_id": device, "campaign_id": "nightly_smoke"},
        timeout=10,
    )
    started.raise_for_status()
    execution_id = started.json()["execution_id"]
    card = page.locator(f'[data-device="{host}/{device}"]')
    expect(card.locator(".device-run")).to_contain_text("campaign")
    page.screenshot(path=out / WALL, full_page=True)
    page.goto(f"{url}/executions/{host}/{execution_id}")
    status = page.get_by_test_id("status")
    expect(status).not_to_contain_text("running", timeout=wait_s * 1000)
    expect(status).not_to_contain_text("queued")
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.screenshot(path=out / EXECUTION)  # the top: status, facts, steps, campaign items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="the proxy, e.g. http://127.0.0.1:8100")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--host", default="demo-host-1")
    parser.add_argument("--device", default="tv-1")
    parser.add_argument("--wait", type=float, default=180, help="longest campaign, seconds")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        print("dashboard_screenshots: needs Debian's chromium (apt-get install chromium)")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            shoot(page, args.url.rstrip("/"), args.host, args.device, args.out, args.wait)
        finally:
            browser.close()
    print(f"{args.out / WALL}\n{args.out / EXECUTION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
