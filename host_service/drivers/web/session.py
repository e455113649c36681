"""The browser of one web device: Playwright's objects, used only on the driver's thread.

Playwright's sync API is bound to the thread that started it, so every method here runs
on the driver's `OwnedThread`. The page persists across executions, as a TV stays on
its screen; `launch()` after a crash starts over on the start URL.
"""

import contextlib
import re
from typing import Any
from urllib.parse import urljoin

from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from host_service.drivers.base import CommandOutcome, Observation
from host_service.drivers.web.chromium import ChromiumProcess
from host_service.drivers.web.keys import keyboard_key
from host_service.drivers.web.settings import WebSettings
from host_service.drivers.web.specs import CHECKS

_EVIDENCE_CHARS = 500
_VISIBLE = """els => els.filter(e => {
  const style = getComputedStyle(e);
  return style.visibility !== 'hidden' && style.display !== 'none' && e.getClientRects().length;
}).map(e => e.outerHTML.slice(0, 200))"""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE_CHARS else text[:_EVIDENCE_CHARS] + "..."


class SelectorNotFound(Exception):  # noqa: N818 - an outcome, told apart from a crash
    pass


class BrowserSession:
    def __init__(self, settings: WebSettings, browser_path: str) -> None:
        self._settings = settings
        self._chromium = ChromiumProcess(browser_path, settings.headless)
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._page: Page | None = None
        self.start_url = settings.start_url
        self.crashed = False

    @property
    def browser_pid(self) -> int | None:
        return self._chromium.pid

    def kill_browser(self) -> None:
        """From any thread: ends a browser whose page stopped answering, so calls return."""
        self.crashed = True
        self._chromium.kill()

    # -- lifecycle (owned thread) ----------------------------------------------------------

    def launch(self) -> None:
        self.close_browser()
        if self._playwright is None:
            self._playwright = sync_playwright().start()
        endpoint = self._chromium.start(self._settings.launch_timeout_s)
        timeout_ms = self._settings.launch_timeout_s * 1000
        self._browser = self._playwright.chromium.connect_over_cdp(endpoint, timeout=timeout_ms)
        viewport = self._settings.viewport
        context = self._browser.new_context(
            viewport={"width": viewport.width, "height": viewport.height}
        )
        self._page = context.new_page()
        self._page.set_default_timeout(self._settings.default_timeout_s * 1000)
        self._page.on("crash", lambda _: setattr(self, "crashed", True))
        self._browser.on("disconnected", lambda _: setattr(self, "crashed", True))
        self.crashed = False
        self._page.goto(self.start_url)

    def healthy(self) -> bool:
        return not self.crashed and self._chromium.alive() and self._page is not None

    def close_browser(self) -> None:
        browser, self._browser, self._page = self._browser, None, None
        if browser is not None:
            with contextlib.suppress(PlaywrightError):
                browser.close()
        self._chromium.kill()

    def stop(self) -> None:
        self.close_browser()
        if self._playwright is not None:
            with contextlib.suppress(PlaywrightError):
                self._playwright.stop()
            self._playwright = None

    # -- calls (owned thread) --------------------------------------------------------------

    @property
    def page(self) -> Page:
        if self._page is None:
            raise PlaywrightError("the browser is not running")
        return self._page

    def responsive(self, timeout_s: float) -> bool:
        """Whether the page's script thread answers: a missing element vs a frozen page."""
        try:
            self.page.wait_for_function("() => true", timeout=timeout_s * 1000)
        except PlaywrightTimeout:
            return False
        return True

    def execute(self, command: str, params: dict[str, Any]) -> CommandOutcome:
        page = self.page
        try:
            if command == "open_url":
                page.goto(urljoin(self.start_url, str(params["url"])))
            elif command == "reset":
                page.goto(self.start_url)
            elif command == "go_back":
                page.go_back()
            elif command == "press_key":
                page.keyboard.press(keyboard_key(str(params["key"])))
            elif command == "click":
                page.locator(str(params["selector"])).first.click()
            elif command == "click_text":
                page.get_by_text(str(params["text"])).first.click()
            elif command == "fill":
                page.locator(str(params["selector"])).first.fill(str(params["text"]))
            else:
                return CommandOutcome(False, f"the web driver has no command {command!r}")
        except PlaywrightTimeout as exc:
            target = params.get("selector", params.get("text", params.get("url", "")))
            waited = self._settings.default_timeout_s
            raise SelectorNotFound(
                f"{command}: nothing matched {target!r} in {waited:g} s"
            ) from exc
        return CommandOutcome(True, f"{command} done", {"url": page.url})

    def observe(self, type_: str, command: str, params: dict[str, Any]) -> Observation:
        wanted = CHECKS[(type_, command)]
        page = self.page
        if type_ == "url":
            pattern = str(params["pattern"])
            found = re.search(pattern, page.url) is not None
            return Observation(found, f"url matching /{pattern}/", f"url {page.url}")
        if type_ == "element":
            selector = str(params["selector"])
            matches: list[str] = page.locator(selector).evaluate_all(_VISIBLE)
            expected = f"element {selector!r} {'shown' if wanted else 'absent'}"
            if matches:
                return Observation(wanted, expected, _short(matches[0]))
            return Observation(not wanted, expected, f"none; the page shows: {self._text()}")
        text = str(params["text"])
        body = page.locator("body").inner_text()
        found = text in body
        expected = f"text {text!r} {'shown' if wanted else 'absent'}"
        return Observation(found == wanted, expected, f"the page shows: {_short(body)}")

    def _text(self) -> str:
        return _short(self.page.locator("body").inner_text())

    def screenshot(self) -> bytes:
        return self.page.screenshot(type="png")

    def url(self) -> str:
        return "" if self._page is None else self._page.url
