"""The system Chromium driven by Playwright, watched for console errors and for any
request that would leave the machine (an air-gapped lab has nowhere to send it)."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

LOCAL = {"127.0.0.1", "localhost", "[::1]"}
# Every name but loopback fails to resolve: a CDN asset or web font would show as an error.
FLAGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium (scripts/test_tools.sh installs it), never a downloaded browser."""
    path = shutil.which("chromium")
    assert path is not None, "scripts/test installs chromium when it is missing"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watched:
    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        def local(url: str) -> bool:
            parts = urlsplit(url)
            return parts.scheme in ("data", "blob") or parts.hostname in LOCAL

        return [url for url in self.requests if not local(url)]


@contextmanager
def watched_page(browser: Browser, *, expect_errors: tuple[str, ...] = ()) -> Iterator[Watched]:
    """A fresh context (its own session storage); fails the test on a console error, an
    uncaught exception or a request to an address that is not loopback."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = Watched(page)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and not any(e in message.text for e in expect_errors):
            seen.errors.append(message.text)

    def request(sent: Request) -> None:
        seen.requests.append(sent.url)

    page.on("console", console)
    page.on("pageerror", lambda error: seen.errors.append(f"uncaught: {error}"))
    context.on("request", request)
    try:
        yield seen
    finally:
        context.close()
    assert seen.errors == [], seen.errors
    assert seen.outside() == [], seen.outside()
