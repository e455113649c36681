"""The executions, history and start pages, and moving between pages by keyboard."""

import re
import time

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.proxy_service.dashboard.browser import watched_page
from tests.proxy_service.dashboard.lab import DashboardLab


def start(lab: DashboardLab, device: str, pause_s: float) -> str:
    answer = httpx.post(
        f"{lab.url}/server/testcase/execute",
        json={"host_name": "demo-host-2", "device_id": device, "testcase_id": "watched_guide",
              "inputs": {"pause_s": pause_s}},
    )  # fmt: skip
    assert answer.status_code == 202, answer.text
    execution_id: str = answer.json()["execution_id"]
    return execution_id


def test_executions_lists_running_ones_first_and_follows_them_live(
    page: Page, live_lab: DashboardLab
) -> None:
    finished = start(live_lab, "tv-22", 0)
    page.goto(f"{live_lab.url}/executions?host_name=demo-host-2")
    expect(page.locator(f'[data-execution="{finished}"]')).to_contain_text("passed")
    running = start(live_lab, "tv-22", 1.5)
    rows = page.locator("tbody tr")
    expect(rows.first).to_have_attribute("data-execution", running)  # no reload: live
    expect(rows.first).to_contain_text("running")
    with live_lab.explained("demo-host-2", "tv-22", running):
        expect(rows.first).to_contain_text("passed", timeout=5000)
    page.get_by_label("Status").select_option("running")
    expect(page).to_have_url(re.compile(r"status=running"))
    expect(page.locator(f'[data-execution="{finished}"]')).to_have_count(0)


def test_history_shows_what_the_proxy_offers(page: Page, live_lab: DashboardLab) -> None:
    paths = httpx.get(f"{live_lab.url}/openapi.json").json()["paths"]
    assert "/server/history" in paths
    execution_id = start(live_lab, "tv-22", 0)
    # History is read when the page opens: wait until the lab store has the run (the proxy
    # follows each host's feed on its own clock), then open it.
    give_up = time.monotonic() + 15
    while execution_id not in httpx.get(f"{live_lab.url}/server/history").text:
        assert time.monotonic() < give_up, "the run never reached the lab history"
        time.sleep(0.1)
    page.goto(f"{live_lab.url}/history")
    expect(page.locator("table.history")).to_contain_text("watched_guide", timeout=10_000)
    expect(page.get_by_role("region", name="Pass rate")).to_be_visible()


def test_a_start_the_host_refuses_stays_on_the_form_and_says_why(
    browser: Browser, live_lab: DashboardLab
) -> None:
    # Chromium logs the refused request itself; that one console error is expected.
    with watched_page(browser, expect_errors=("status of 404",)) as seen:
        refused(seen.page, live_lab)


def refused(page: Page, live_lab: DashboardLab) -> None:
    page.goto(f"{live_lab.url}/start?host=demo-host-1&device=tv-1")
    page.get_by_role("radio", name="navigation").check()
    expect(page.get_by_label("Target node")).not_to_be_empty()
    page.get_by_label("Device", exact=True).select_option("tv-2")
    page.evaluate("document.getElementById('target').add(new Option('nowhere', 'nowhere'))")
    page.get_by_label("Target node").select_option("nowhere")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("alert")).to_contain_text("nowhere")
    expect(page).to_have_url(re.compile(r"/start\?"))


def test_every_page_is_reached_by_keyboard(page: Page, live_lab: DashboardLab) -> None:
    page.goto(live_lab.url)
    expect(page.locator(".wall")).to_have_attribute("data-loaded", "true")
    for name, heading in (("Executions", "Executions"), ("History", "History"),
                          ("Start", "Start"), ("Devices", "Devices")):  # fmt: skip
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == name:
                break
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("link", name=name)).to_have_attribute("aria-current", "page")
