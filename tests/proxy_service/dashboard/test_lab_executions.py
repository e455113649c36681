"""Lab executions in a real Chromium: started with a device selector from the Start page,
listed while queued, followed from the lab queue to a device to the end, cancelled."""

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.proxy_service.dashboard.lab import DashboardLab

# One device matches it: demo-host-2's tv-22 (the other simtv-hd is on demo-host-1).
ON_TV_22 = {"model": "simtv-hd", "host_name": "demo-host-2"}


def lab_start(lab: DashboardLab, body: dict[str, Any]) -> str:
    answer = httpx.post(f"{lab.url}/server/testcase/execute", json=body)
    assert answer.status_code == 202, answer.text
    execution_id: str = answer.json()["execution_id"]
    return execution_id


def test_a_testcase_started_with_a_device_selector_runs_on_a_matching_device_and_passes(
    page: Page, live_lab: DashboardLab
) -> None:
    page.goto(f"{live_lab.url}/start")
    page.get_by_role("radio", name="any matching device").check()
    page.get_by_label("Model").select_option("simtv-hd")
    page.get_by_label("On host").select_option("demo-host-2")
    expect(page.locator("#matched")).to_contain_text("1 device matches: demo-host-2/tv-22")
    page.get_by_label("Testcase", exact=True).select_option("watched_guide")
    page.get_by_label("pause_s").fill("0.3")
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(r"/executions/[0-9a-f-]{36}$"))  # the lab id's page
    expect(page.get_by_test_id("host")).to_have_text("demo-host-2")
    expect(page.get_by_test_id("device")).to_have_text("tv-22")
    expect(page.get_by_test_id("status")).to_contain_text("passed", timeout=10_000)
    expect(page.get_by_role("region", name="Evidence")).to_contain_text("text 'Today' shown")


def dispatched(lab: DashboardLab, execution_id: str) -> dict[str, Any]:
    """The lab execution's view once a host has it (10 s at most)."""
    for _ in range(10):
        view: dict[str, Any] = httpx.get(
            f"{lab.url}/server/executions/{execution_id}", params={"wait": 1}
        ).json()
        if view["host_name"]:
            return view
    raise AssertionError(f"{execution_id} was never dispatched")


def test_a_lab_execution_is_followed_from_the_queue_to_its_device_and_cancelled_while_queued(
    page: Page, live_lab: DashboardLab
) -> None:
    # tv-22 runs a long campaign started on it by name until the test cancels it; the first
    # lab request joins the host's queue behind it, the others wait in the lab queue.
    blocker = httpx.post(
        f"{live_lab.url}/server/campaign/execute",
        json={"host_name": "demo-host-2", "device_id": "tv-22", "campaign_id": "long_watch"},
    ).json()["execution_id"]
    quick = {"device_selector": ON_TV_22, "testcase_id": "watched_guide", "inputs": {"pause_s": 0}}
    first = lab_start(live_lab, quick)
    assert dispatched(live_lab, first)["device_id"] == "tv-22"
    second, third = lab_start(live_lab, quick), lab_start(live_lab, quick)

    page.goto(f"{live_lab.url}/executions")
    expect(page.locator(f'[data-execution="{second}"]')).to_contain_text("lab queue, position 1")
    expect(page.locator(f'[data-execution="{third}"]')).to_contain_text("lab queue, position 2")
    page.locator(f'[data-execution="{third}"]').get_by_role("link").click()
    expect(page).to_have_url(f"{live_lab.url}/executions/{third}")
    expect(page.get_by_test_id("status")).to_contain_text("queued")
    expect(page.get_by_test_id("queue-position")).to_have_text("2 in the lab queue")
    expect(page.get_by_test_id("host")).to_contain_text("not chosen yet")
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_test_id("status")).to_contain_text("cancelled")

    page.goto(f"{live_lab.url}/executions/{second}")
    expect(page.get_by_test_id("queue-position")).to_have_text("1 in the lab queue")
    expect(page.get_by_test_id("device")).to_contain_text("any free device")
    cancelled = httpx.post(
        f"{live_lab.url}/server/executions/{blocker}/cancel", params={"host_name": "demo-host-2"}
    )  # the first lab request runs and ends, then the second goes to tv-22: on this page
    assert cancelled.status_code == 200, cancelled.text
    expect(page.get_by_test_id("device")).to_have_text("tv-22", timeout=5000)
    expect(page.get_by_test_id("host")).to_have_text("demo-host-2")
    expect(page.get_by_test_id("status")).to_contain_text("passed", timeout=10_000)
