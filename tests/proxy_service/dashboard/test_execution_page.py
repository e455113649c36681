"""Runs started from the page and followed live on their own page, in a real Chromium."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.proxy_service.dashboard.lab import DashboardLab


def start_from_the_form(page: Page, url: str, kind: str, definition: str, device: str) -> None:
    page.goto(f"{url}/start?host=demo-host-1&device={device}")
    page.get_by_role("radio", name=kind).check()
    page.get_by_label(re.compile("^(Testcase|Campaign|Tree)$")).select_option(definition)


def test_a_testcase_started_from_the_page_shows_live_progress_and_ends_passed(
    page: Page, live_lab: DashboardLab
) -> None:
    start_from_the_form(page, live_lab.url, "testcase", "watched_guide", "tv-1")
    page.get_by_label("pause_s").fill("1.5")  # a number input, from the declared type
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(r"/executions/demo-host-1/[0-9a-f-]{36}$"))
    status = page.get_by_test_id("status")
    expect(status).to_contain_text("running")
    expect(page.locator('[data-step="pause"]')).to_contain_text("running")  # live step
    progress = int(page.get_by_label("Progress").get_attribute("value") or "0")
    assert 0 < progress < 100
    expect(page.locator(".log")).to_contain_text("started on tv-1")  # the live log
    expect(status).to_contain_text("passed", timeout=10_000)
    expect(page.get_by_label("Progress")).to_have_attribute("value", "100")
    expect(page.locator('[data-step="pause"]')).to_contain_text("passed")
    expect(page.get_by_role("region", name="Evidence")).to_contain_text("text 'Today' shown")
    expect(page.get_by_role("button", name="Cancel")).to_have_count(0)


def test_a_failing_testcase_shows_its_failure_and_evidence(
    page: Page, live_lab: DashboardLab
) -> None:
    start_from_the_form(page, live_lab.url, "testcase", "check_resolution", "tv-2")
    page.get_by_label("resolution").fill("8K")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_test_id("status")).to_contain_text("failed", timeout=10_000)
    failure = page.get_by_role("region", name="Failed")
    expect(failure).to_contain_text("8K is not offered")
    evidence = page.get_by_role("region", name="Evidence")
    expect(evidence.get_by_role("row").filter(has_text="text '8K' shown")).to_contain_text("failed")
    # The failed step's screenshot, fetched through the proxy and shown as an image.
    shots = page.get_by_role("region", name="Screenshots").locator("img")
    expect(shots).to_have_count(1)
    expect(shots.first).to_have_js_property("complete", True)
    assert shots.first.evaluate("img => img.naturalWidth") > 0
    with page.expect_download() as download:  # the report of this one testcase
        page.get_by_role("button", name="JUnit report").click()
    report = Path(download.value.path()).read_text()
    assert '<testsuite name="check_resolution"' in report
    assert "<failure" in report


def test_a_screenshot_taken_mid_run_shows_at_once_and_the_run_is_followed_to_its_end(
    page: Page, live_lab: DashboardLab
) -> None:
    start_from_the_form(page, live_lab.url, "testcase", "shot_then_pause", "tv-2")
    page.get_by_role("button", name="Start").click()
    status = page.get_by_test_id("status")
    shots = page.get_by_role("region", name="Screenshots").locator("img")
    expect(shots).to_have_count(1)  # from the stream's artifact event, while it pauses
    expect(status).to_contain_text("running")
    expect(page.locator('[data-step="pause"]')).to_contain_text("running")
    expect(status).to_contain_text("failed", timeout=10_000)
    expect(page.get_by_role("region", name="Failed")).to_contain_text("8K is not listed")


def test_cancel_stops_a_running_campaign(page: Page, live_lab: DashboardLab) -> None:
    start_from_the_form(page, live_lab.url, "campaign", "long_watch", "tv-3")
    page.get_by_role("button", name="Start").click()
    status = page.get_by_test_id("status")
    expect(status).to_contain_text("running")
    page.get_by_role("button", name="Cancel").click()
    expect(status).to_contain_text("cancelled", timeout=5000)
    expect(page.get_by_role("button", name="Cancel")).to_have_count(0)
    expect(page.get_by_role("button", name="JUnit report")).to_be_visible()
