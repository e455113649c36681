"""The `adb` driver: an Android TV or phone behind an adb server, through adbutils.

Actions are `input`, `am` and `monkey` commands in the device's shell; checks read the
screen from `uiautomator dump` and the foreground app from `dumpsys window`; a
screenshot is `screencap -p`. Whether the device is online is how the adb server lists
it (`device`), read every `status_interval_s` by a task the lifespan starts with `open`.
"""

import asyncio
import contextlib
import re
import time
from pathlib import Path
from typing import Any

from host_service.drivers.adb.hierarchy import (
    HierarchyError,
    Node,
    find,
    parse_hierarchy,
    texts,
)
from host_service.drivers.adb.keys import keycode
from host_service.drivers.adb.link import AdbLink
from host_service.drivers.adb.settings import AdbSettings
from host_service.drivers.adb.specs import CHECKS, VERIFICATION_SPECS, command_specs
from host_service.drivers.base import CallLog, CommandOutcome, DriverBase, DriverError, Observation
from host_service.drivers.settings import parse_settings
from host_service.runtime.cancel import CancelToken
from host_service.runtime.logs import execution_logger
from schemas import CommandSpec, VerificationSpec

log = execution_logger("driver.adb")

_PNG = b"\x89PNG\r\n\x1a\n"
_EVIDENCE_CHARS = 500
# The focused window (`dumpsys window windows`), or the resumed activity on Android 10+.
_FOCUS = re.compile(r"mCurrentFocus=Window\{.*\s(?P<package>[^\s/]+)/[^\s]+\}")
_RESUMED = re.compile(r"(?:mResumedActivity|topResumedActivity)[=:].*?\s(?P<package>[^\s/]+)/")
_FAILED = re.compile(r"^(Error|\*\* No activities|Exception|/system/bin/sh: )", re.MULTILINE)


def _short(text: str) -> str:
    return text if len(text) <= _EVIDENCE_CHARS else text[:_EVIDENCE_CHARS] + "..."


class AdbDriver(DriverBase):
    """Implements the `Driver` protocol (and `Capturing`) for a device on an adb server."""

    name = "adb"
    can_capture = True

    def __init__(self, settings: AdbSettings) -> None:
        self._settings = settings
        host, port = settings.address
        self._link = AdbLink(settings.serial, host, port, settings.connect_timeout_s)
        self.calls = CallLog()
        self._state = "not checked yet"
        self._watcher: asyncio.Task[None] | None = None
        self._commands = command_specs(settings.allow_shell)

    @classmethod
    def from_settings(
        cls, raw: dict[str, Any], base_dir: Path, latency_scale: float
    ) -> "AdbDriver":
        return cls(parse_settings(AdbSettings, raw))

    # -- lifecycle -------------------------------------------------------------------------

    async def open(self) -> None:
        self._state = await asyncio.to_thread(self._link.state)
        self._watcher = asyncio.create_task(self._watch(), name=f"adb-watch-{self._link.serial}")

    async def aclose(self) -> None:
        self._link.close_all()  # calls stuck on a silent device return now
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self._settings.status_interval_s)
            self._state = await asyncio.to_thread(self._link.state)

    # -- the Driver protocol ---------------------------------------------------------------

    def commands(self) -> list[CommandSpec]:
        return self._commands

    def verifications(self) -> list[VerificationSpec]:
        return VERIFICATION_SPECS

    def polls(self, type_: str, command: str) -> bool:
        return True

    def poll_interval_s(self) -> float:
        return self._settings.poll_interval_s

    @property
    def online(self) -> bool:
        return self._state == "device"

    def status(self) -> dict[str, Any]:
        return {
            "serial": self._settings.serial,
            "adb_server": self._settings.adb_server,
            "adb_state": self._state,
        }

    def execute(self, command: str, params: dict[str, Any], token: CancelToken) -> CommandOutcome:
        argv = self._argv(command, params)
        output, status = self._shell(command, argv, token)
        text = output.decode("utf-8", errors="replace").strip()
        # `am` and `monkey` report some failures in their output with a zero exit status.
        failed = status != 0 or (command != "shell" and _FAILED.search(text) is not None)
        message = f"{argv[0]} exited {status}" + (f": {_short(text)}" if text else "")
        return CommandOutcome(not failed, message, {"exit_code": status, "output": _short(text)})

    def observe(
        self, type_: str, command: str, params: dict[str, Any], token: CancelToken
    ) -> Observation:
        wanted = CHECKS[(type_, command)]
        if type_ == "app":
            package = str(params["package"])
            current = self._foreground(token)
            return Observation(
                current == package,
                f"app {package} in the foreground",
                f"foreground app {current or 'unknown'}",
            )
        nodes = self._nodes(f"{type_}.{command}", token)
        if type_ == "element":
            selector = str(params["selector"])
            node = find(nodes, selector)
            expected = f"element {selector} {'shown' if wanted else 'absent'}"
            seen = node.describe() if node else f"no match among {len(nodes)} nodes"
            return Observation((node is not None) == wanted, expected, seen)
        text = str(params["text"])
        shown = texts(nodes)
        found = any(text in value for value in shown)
        expected = f"text {text!r} {'shown' if wanted else 'absent'}"
        return Observation(found == wanted, expected, _short(f"texts {shown}"))

    def capture(self, token: CancelToken) -> bytes:
        output, status = self._shell("capture", ["screencap", "-p"], token)
        if status != 0 or not output.startswith(_PNG):
            detail = output[:200].decode("utf-8", errors="replace").strip() or "no output"
            raise DriverError("capture_failed", f"screencap exited {status}: {detail}")
        return output

    # -- helpers ---------------------------------------------------------------------------

    def _argv(self, command: str, params: dict[str, Any]) -> list[str]:
        if command == "press_key":
            return ["input", "keyevent", keycode(str(params["key"]))]
        if command == "launch_app":
            package, activity = str(params["package"]), params.get("activity")
            if activity:
                return ["am", "start", "-n", f"{package}/{activity}"]
            return ["monkey", "-p", package, "-c", "android.intent.category.LAUNCHER", "1"]
        if command == "stop_app":
            return ["am", "force-stop", str(params["package"])]
        if command == "input_text":
            return ["input", "text", str(params["text"]).replace(" ", "%s")]  # Android's space
        if command == "tap":
            return ["input", "tap", str(params["x"]), str(params["y"])]
        if command == "swipe":
            points = [str(params[n]) for n in ("x1", "y1", "x2", "y2")]
            return ["input", "swipe", *points, str(params.get("duration_ms", 300))]
        if command == "shell" and self._settings.allow_shell:
            return [str(arg) for arg in params["argv"]]
        raise DriverError("unknown_command", f"the adb driver has no command {command!r}")

    def _shell(self, operation: str, argv: list[str], token: CancelToken) -> tuple[bytes, int]:
        started = time.monotonic()
        try:
            output, status = self._link.run(argv, token, self._settings.default_timeout_s)
        except DriverError as exc:
            if exc.code == "device_disconnected":
                self._state = "not answering"  # offline now; the next listing may restore it
            raise
        finally:
            self.calls.record(operation, started)
        log.info(
            "%s: %s -> exit %d in %.0f ms",
            operation,
            argv[0],
            status,
            (time.monotonic() - started) * 1000,
        )
        return output, status

    def _nodes(self, operation: str, token: CancelToken) -> list[Node]:
        output, status = self._shell(operation, ["uiautomator", "dump", "/dev/tty"], token)
        try:
            return parse_hierarchy(output.decode("utf-8", errors="replace"))
        except (HierarchyError, SyntaxError) as exc:
            raise DriverError(
                "uiautomator_failed", f"uiautomator dump (exit {status}): {exc}"
            ) from exc

    def _foreground(self, token: CancelToken) -> str | None:
        for argv, pattern in (
            (["dumpsys", "window", "windows"], _FOCUS),
            (["dumpsys", "activity", "activities"], _RESUMED),
        ):
            output, _ = self._shell("app.app_in_foreground", argv, token)
            match = pattern.search(output.decode("utf-8", errors="replace"))
            if match is not None:
                return match.group("package")
        return None
