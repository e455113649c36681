"""With API keys configured, the page asks for one once per browser session and sends it."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.processes import free_port, stop_process, wait_until_healthy
from tests.proxy_service.dashboard.browser import watched_page
from tests.proxy_service.dashboard.lab import DashboardLab, start

KEY = "dashboard-test-key"
REFUSED = ("status of 401",)  # Chromium logs each refused call itself


@pytest.fixture(scope="module")
def keyed_proxy(live_lab: DashboardLab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second proxy in front of the same hosts, asking for an API key."""
    port = free_port()
    log = tmp_path_factory.mktemp("keyed") / "proxy.log"
    env = {**os.environ, "PROXY_API_KEYS": KEY}
    args = ["proxy_service", "--port", str(port), "--config", str(live_lab.proxy_config)]
    process = start(args, Path(log), env)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/server/health", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


def sign_in(page: Page, key: str) -> None:
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()


def test_the_page_asks_for_a_key_once_per_session_and_sends_it(
    browser: Browser, keyed_proxy: str
) -> None:
    with watched_page(browser, expect_errors=REFUSED) as seen:
        page = seen.page
        page.goto(keyed_proxy)
        expect(page.get_by_role("heading", name="API key needed")).to_be_visible()
        sign_in(page, "not-the-key")
        expect(page.get_by_role("heading", name="API key needed")).to_be_visible()
        sent: list[Request] = []
        page.on("request", lambda r: sent.append(r) if "/server/" in r.url else None)
        sign_in(page, KEY)
        expect(page.locator('[data-device="demo-host-1/tv-1"]')).to_contain_text("idle")
        page.get_by_role("link", name="Executions").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Executions")
        page.reload()  # the same session: no second prompt
        expect(page.get_by_role("heading", level=1)).to_have_text("Executions")
        assert sent
        assert {r.headers.get("authorization") for r in sent} == {f"Bearer {KEY}"}
    with watched_page(browser, expect_errors=REFUSED) as seen:  # a new browser session
        seen.page.goto(keyed_proxy)
        expect(seen.page.get_by_role("heading", name="API key needed")).to_be_visible()
