"""The system Chromium as a process the driver owns: started, connected to, killed.

Playwright's own `launch()` hides the browser's process, and a sync Playwright call on
a page that stopped answering (a script in an endless loop) can wait forever: only
killing the browser frees it. So the driver starts Chromium itself, with a DevTools
port, and Playwright connects over CDP; a kill of the process group always ends it.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from host_service.drivers.base import DriverError

# Headless, and quiet: no background requests (the lab may be air-gapped), no first-run UI.
_FLAGS = [
    "--remote-debugging-port=0",
    "--remote-debugging-address=127.0.0.1",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
    "--metrics-recording-only",
    "--mute-audio",
    "--disable-breakpad",  # no crash reporter writing outside the profile
    "--disable-dev-shm-usage",
]


class ChromiumProcess:
    def __init__(self, path: str, headless: bool) -> None:
        self._path = path
        self._headless = headless
        self._process: subprocess.Popen[bytes] | None = None
        self._profile: Path | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self, timeout_s: float) -> str:
        """Start a fresh browser (new profile); its DevTools WebSocket URL."""
        self._profile = Path(tempfile.mkdtemp(prefix="web-driver-"))
        argv = [self._path, *_FLAGS, f"--user-data-dir={self._profile}"]
        if self._headless:
            argv.append("--headless")
        if os.geteuid() == 0:
            argv.append("--no-sandbox")  # Chromium refuses root without it (CI runs as root)
        try:
            self._process = subprocess.Popen(  # noqa: S603 - the configured browser, no shell
                [*argv, "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its helpers share its process group, killed as one
            )
        except OSError as exc:
            raise DriverError("browser_not_started", f"{self._path}: {exc}") from exc
        return self._endpoint(timeout_s)

    def _endpoint(self, timeout_s: float) -> str:
        """Chromium writes its DevTools port and path to DevToolsActivePort when it listens."""
        assert self._process is not None
        assert self._profile is not None
        marker = self._profile / "DevToolsActivePort"
        give_up = time.monotonic() + timeout_s
        while time.monotonic() < give_up:
            if self._process.poll() is not None:
                raise DriverError(
                    "browser_not_started", f"{self._path} exited {self._process.returncode}"
                )
            with contextlib.suppress(OSError):
                lines = marker.read_text().split()
                if len(lines) == 2:
                    return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.02)  # polling a file the browser writes once; there is no event
        self.kill()
        raise DriverError("browser_not_started", f"{self._path} did not listen in {timeout_s} s")

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def kill(self) -> None:
        """End the browser and every process it started, and drop its profile."""
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None
