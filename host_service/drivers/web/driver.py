"""The `web` driver: a web app (or a TV app built as a web page) in the system Chromium.

Every Playwright call runs on the driver's own thread (the sync API is thread-affine)
and is bounded: a call that outlives `default_timeout_s` plus a grace is a page that
stopped answering, so the browser is killed, which frees the call. A crashed or killed
browser ends its execution in `error` (`driver_crashed`); the browser is relaunched
before the next execution (`begin`), which then runs normally.
"""

import asyncio
import contextlib
import functools
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from host_service.drivers.base import (
    CallLog,
    CommandOutcome,
    DriverBase,
    DriverError,
    DriverSettingsError,
    Observation,
)
from host_service.drivers.owned_thread import OwnedThread
from host_service.drivers.settings import parse_settings
from host_service.drivers.web.session import BrowserSession, SelectorNotFound
from host_service.drivers.web.settings import WebSettings
from host_service.drivers.web.specs import COMMAND_SPECS, VERIFICATION_SPECS
from host_service.drivers.web.static_server import StaticServer
from host_service.runtime.cancel import CancelToken, ExecutionStopped
from host_service.runtime.logs import execution_logger
from schemas import CommandSpec, VerificationSpec

log = execution_logger("driver.web")
T = TypeVar("T")

_GRACE_S = 5.0  # beyond the page's own timeout, before a call counts as hung
_SLICE_S = 0.02  # how often a waiting caller looks at its token


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


class WebDriver(DriverBase):
    """Implements the `Driver` protocol (and `Capturing`) for one browser page."""

    name = "web"
    can_capture = True

    def __init__(self, settings: WebSettings, browser_path: str, static_dir: Path | None) -> None:
        self._settings = settings
        self._static_dir = static_dir
        self._static: StaticServer | None = None
        self._session = BrowserSession(settings, browser_path)
        self._thread = OwnedThread("web-driver")
        self._inflight: tuple[Future[Any], float] | None = None
        self.calls = CallLog()

    @classmethod
    def from_settings(
        cls, raw: dict[str, Any], base_dir: Path, latency_scale: float
    ) -> "WebDriver":
        settings = parse_settings(WebSettings, raw)
        browser = settings.browser_path or "chromium"
        found = shutil.which(browser)
        if found is None:
            raise DriverSettingsError("browser_path", f"no browser {browser!r} (Debian: chromium)")
        static_dir = None
        if settings.static_dir is not None:
            static_dir = settings.static_dir
            static_dir = static_dir if static_dir.is_absolute() else base_dir / static_dir
            if not static_dir.is_dir():
                raise DriverSettingsError("static_dir", f"folder not found: {static_dir}")
        return cls(settings, found, static_dir)

    @property
    def browser_pid(self) -> int | None:
        """The browser's process (tests kill it to play a crash)."""
        return self._session.browser_pid

    # -- lifecycle -------------------------------------------------------------------------

    async def open(self) -> None:
        if self._static_dir is not None:
            self._static = StaticServer(self._static_dir)
            self._static.start()
            self._session.start_url = self._static.url + self._settings.start_url.lstrip("/")
        self._thread.start()
        await asyncio.to_thread(self._launch)

    async def aclose(self) -> None:
        self._session.kill_browser()  # a call stuck on a frozen page returns now
        await asyncio.to_thread(self._shutdown)

    def _shutdown(self) -> None:
        # Not started, or already gone: nothing left to stop.
        with contextlib.suppress(FutureTimeout, RuntimeError, PlaywrightError):
            self._thread.submit(self._session.stop).result(timeout=self._launch_s)
        self._thread.stop(wait=False)
        if self._static is not None:
            self._static.stop()
            self._static = None

    def begin(self, execution_id: str) -> None:
        if not self._session.healthy():
            log.warning("the browser crashed or was killed; relaunching it")
            self._launch()

    def _launch(self) -> None:
        try:
            self._bounded("launch", self._session.launch, None, self._launch_s)
        except PlaywrightError as exc:
            self._session.kill_browser()
            raise DriverError("browser_not_started", _first_line(exc)) from exc

    def end(self, execution_id: str) -> None:
        """A call the stopped execution left running gets its time, then the browser goes."""
        inflight, self._inflight = self._inflight, None
        if inflight is None or inflight[0].done():
            return
        future, deadline = inflight
        try:
            future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            self._session.kill_browser()
        except Exception:  # noqa: S110 - its execution has ended; only the thread matters
            pass

    # -- the Driver protocol ---------------------------------------------------------------

    def commands(self) -> list[CommandSpec]:
        return COMMAND_SPECS

    def verifications(self) -> list[VerificationSpec]:
        return VERIFICATION_SPECS

    def polls(self, type_: str, command: str) -> bool:
        return True

    def poll_interval_s(self) -> float:
        return self._settings.poll_interval_s

    @property
    def online(self) -> bool:
        return True  # a crashed browser is relaunched before the next execution

    def status(self) -> dict[str, Any]:
        return {
            "url": self._session.url(),
            "browser": "running" if self._session.healthy() else "relaunching",
        }

    def execute(self, command: str, params: dict[str, Any], token: CancelToken) -> CommandOutcome:
        try:
            return self._call(command, lambda: self._session.execute(command, params), token)
        except SelectorNotFound as exc:
            return CommandOutcome(False, str(exc))

    def observe(
        self, type_: str, command: str, params: dict[str, Any], token: CancelToken
    ) -> Observation:
        operation = f"{type_}.{command}"
        return self._call(operation, lambda: self._session.observe(type_, command, params), token)

    def capture(self, token: CancelToken) -> bytes:
        return self._call("capture", self._session.screenshot, token)

    # -- bounded calls on the owned thread -------------------------------------------------

    @property
    def _launch_s(self) -> float:
        return self._settings.launch_timeout_s + _GRACE_S

    def _call(self, operation: str, fn: Callable[[], T], token: CancelToken) -> T:
        """A page call, its faults sorted: a missing element, a frozen page, a dead browser."""
        started = time.monotonic()
        limit_s = self._settings.default_timeout_s + _GRACE_S
        try:
            return self._bounded(operation, fn, token, limit_s)
        except (SelectorNotFound, PlaywrightTimeout) as exc:
            probe_s = min(2.0, self._settings.default_timeout_s)
            probe = functools.partial(self._session.responsive, probe_s)
            if not self._bounded("probe", probe, token, probe_s + _GRACE_S):
                self._session.kill_browser()
                raise DriverError(
                    "driver_crashed", f"{operation}: the page stopped answering"
                ) from exc
            if isinstance(exc, SelectorNotFound):
                raise
            raise DriverError("web_timeout", f"{operation}: {_first_line(exc)}") from exc
        except PlaywrightError as exc:
            if not self._session.healthy():
                raise DriverError("driver_crashed", f"{operation}: {_first_line(exc)}") from exc
            raise DriverError("web_error", f"{operation}: {_first_line(exc)}") from exc
        finally:
            self.calls.record(operation, started)

    def _bounded(
        self, operation: str, fn: Callable[[], T], token: CancelToken | None, limit_s: float
    ) -> T:
        """`fn` on the owned thread; stop waiting on a stop, kill the browser past `limit_s`."""
        if token is not None:
            token.check()
        deadline = time.monotonic() + limit_s
        future = self._thread.submit(fn)
        self._inflight = (future, deadline)
        while True:
            try:
                result = future.result(timeout=_SLICE_S)
            except FutureTimeout:
                if token is not None and token.reason is not None:
                    raise ExecutionStopped(token.reason) from None
                if time.monotonic() >= deadline:
                    self._session.kill_browser()
                    raise DriverError(
                        "driver_crashed", f"{operation}: no answer in {limit_s:g} s; browser killed"
                    ) from None
                continue
            self._inflight = None
            return result
