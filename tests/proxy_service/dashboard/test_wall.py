"""The device wall in a real Chromium: every device with its state, live, without reloads."""

import time

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.processes import kill_process
from tests.proxy_service.dashboard.lab import SPARE_HOST, DashboardLab

DEMO_DEVICES = {
    "demo-host-1": {"tv-1": "Living room TV", "tv-2": "Bedroom TV", "tv-3": "Lab flaky TV"},
    "demo-host-2": {"tv-21": "Meeting room TV", "tv-22": "Lab HD TV"},
}


def card(page: Page, host: str, device: str) -> Locator:
    return page.locator(f'[data-device="{host}/{device}"]')


def test_the_wall_lists_every_demo_device_with_its_state(
    page: Page, live_lab: DashboardLab
) -> None:
    page.goto(live_lab.url)
    expect(page.locator(".wall")).to_have_attribute("data-loaded", "true")
    for host, devices in DEMO_DEVICES.items():
        section = page.get_by_role("region", name=host)
        expect(section.locator(".host-head .badge")).to_have_text("● online")
        for device_id, name in devices.items():
            device = card(page, host, device_id)
            expect(device.get_by_role("heading", name=name)).to_be_visible()
            expect(device.locator(".badge").first).to_have_text("○ idle")
            expect(device).to_contain_text(device_id)


def test_a_run_started_elsewhere_shows_on_the_wall_and_ends_without_a_reload(
    page: Page, live_lab: DashboardLab
) -> None:
    page.goto(live_lab.url)
    expect(page.locator(".wall")).to_have_attribute("data-loaded", "true")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloaded
    started = httpx.post(
        f"{live_lab.url}/server/testcase/execute",
        json={"host_name": "demo-host-2", "device_id": "tv-21", "testcase_id": "watched_guide",
              "inputs": {"pause_s": 1.5}},
    )  # fmt: skip
    assert started.status_code == 202, started.text
    device = card(page, "demo-host-2", "tv-21")
    with live_lab.explained("demo-host-2", "tv-21", started.json()["execution_id"]):
        expect(device.locator(".badge").first).to_have_text("▶ busy", timeout=1000)
        expect(device).to_contain_text("Pause", timeout=2000)  # the step it is in
        expect(device.locator(".badge").first).to_have_text("○ idle", timeout=5000)
    assert page.evaluate("window.__sameDocument") is True


def test_a_run_started_on_its_host_directly_shows_on_the_wall_within_a_second(
    page: Page, live_lab: DashboardLab
) -> None:
    page.goto(live_lab.url)
    device = card(page, "demo-host-1", "tv-2")
    expect(device.locator(".badge").first).to_have_text("○ idle")
    began = time.monotonic()
    started = httpx.post(
        f"{live_lab.host_urls['demo-host-1']}/host/testcase/execute",
        json={"device_id": "tv-2", "testcase_id": "watched_guide", "inputs": {"pause_s": 1}},
    )  # not through the proxy: only the host's change feed tells the wall
    assert started.status_code == 202, started.text
    expect(device.locator(".badge").first).to_have_text("▶ busy", timeout=1000)
    assert time.monotonic() - began < 1
    expect(device.locator(".badge").first).to_have_text("○ idle", timeout=5000)


def test_a_killed_host_turns_its_devices_offline_within_5_s(
    page: Page, live_lab: DashboardLab
) -> None:
    page.goto(live_lab.url)
    for device in ("spare-1", "spare-2"):
        expect(card(page, SPARE_HOST, device).locator(".badge").first).to_have_text("○ idle")
    kill_process(live_lab.hosts[SPARE_HOST])
    killed = time.monotonic()
    for device in ("spare-1", "spare-2"):
        expect(card(page, SPARE_HOST, device).locator(".badge").first).to_have_text(
            "✕ offline", timeout=5000 - 1000 * (time.monotonic() - killed)
        )
    assert time.monotonic() - killed < 5
    expect(page.get_by_role("region", name=SPARE_HOST)).to_contain_text("offline")
