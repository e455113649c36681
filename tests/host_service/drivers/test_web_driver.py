"""The web driver on the real Chromium, against WebTV (examples/webapp) served on loopback.

One browser for the whole module: the page persists across tests as it does across
executions, so each test starts with `reset`.
"""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from host_service.drivers import DriverSettingsError
from host_service.drivers.visual import VisualChecks, decode_png
from host_service.drivers.web import WebDriver
from host_service.runtime.cancel import CancelToken
from tests.conftest import LIBRARY, REPO

WEBAPP = REPO / "examples" / "webapp"


def web_settings(**extra: object) -> dict[str, object]:
    return {"start_url": "index.html", "static_dir": str(WEBAPP), "default_timeout_s": 1, **extra}


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    driver = WebDriver.from_settings(web_settings(), REPO, 1.0)
    asyncio.run(driver.open())
    try:
        yield driver
    finally:
        asyncio.run(driver.aclose())


@pytest.fixture
def web(browser: WebDriver) -> WebDriver:
    assert browser.execute("reset", {}, CancelToken()).success
    return browser


def keys(driver: WebDriver, *names: str) -> None:
    for name in names:
        outcome = driver.execute("press_key", {"key": name}, CancelToken())
        assert outcome.success, outcome.message


def test_remote_keys_reach_a_nested_screen(web: WebDriver) -> None:
    keys(web, "RIGHT", "RIGHT", "RIGHT", "OK", "OK", "OK")  # Settings > Display > Resolution
    url = web.observe(
        "url", "url_matches", {"pattern": "#/settings_display_resolution$"}, CancelToken()
    )
    assert url.success, url.observed
    shown = web.observe("text", "wait_for_text_to_appear", {"text": "Current: "}, CancelToken())
    assert shown.success
    keys(web, "BACK")
    assert web.status()["url"].endswith("#/settings_display")


def test_clicks_fill_and_the_browser_history(web: WebDriver) -> None:
    token = CancelToken()
    assert web.execute("click_text", {"text": "Search"}, token).success
    assert web.execute("fill", {"selector": "#search-field", "text": "news"}, token).success
    seen = web.observe("text", "wait_for_text_to_appear", {"text": "Results for news"}, token)
    assert seen.success
    assert web.execute("go_back", {}, token).success
    home = web.observe("element", "wait_for_element", {"selector": "main[data-screen=home]"}, token)
    assert home.success
    assert 'data-screen="home"' in home.observed  # evidence: the element found
    assert (
        "tile-live_tv"
        in web.observe("element", "wait_for_element", {"selector": ".tile.focused"}, token).observed
    )


def test_a_missing_selector_is_a_failed_command_not_a_fault(web: WebDriver) -> None:
    outcome = web.execute("click", {"selector": "#no-such-tile"}, CancelToken())
    assert not outcome.success
    assert "#no-such-tile" in outcome.message
    absent = web.observe(
        "element", "wait_for_element", {"selector": "#no-such-tile"}, CancelToken()
    )
    assert not absent.success
    assert "Welcome back" in absent.observed  # what was on the page instead
    gone = {"selector": "#no-such-tile"}
    assert web.observe("element", "wait_for_element_to_disappear", gone, CancelToken()).success


def test_capture_is_a_png_of_the_page_that_ocr_can_read(web: WebDriver) -> None:
    png = web.capture(CancelToken())
    pixels = decode_png(png)
    assert pixels.shape[:2] == (720, 1280)  # the viewport
    checks = VisualChecks(LIBRARY)
    seen = checks.observe(web, "ocr", "wait_for_ocr_text", {"text": "Welcome back"}, CancelToken())
    assert seen.success, seen.observed


def test_a_missing_browser_is_a_settings_error() -> None:
    with pytest.raises(DriverSettingsError) as caught:
        WebDriver.from_settings(web_settings(browser_path="no-such-browser"), REPO, 1.0)
    assert caught.value.setting == "browser_path"


def test_a_missing_static_folder_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(DriverSettingsError) as caught:
        WebDriver.from_settings(web_settings(static_dir="missing"), tmp_path, 1.0)
    assert caught.value.setting == "static_dir"
