"""A scripted Android TV behind the fake adb server: the simulated TV's UI model, seen the
way Android shows it (packages and activities, `uiautomator` XML, `screencap` PNG).

Its shell understands what adb clients send: `input keyevent|text|tap|swipe`, `monkey -p`,
`am start -n`, `am force-stop`, `dumpsys window windows`, `uiautomator dump`, `screencap
-p`, `echo` and `getprop`, in sequences joined by `;` or `&&` with `$?`. Every command is
kept in `commands` so tests see exactly what a device was asked to do.
"""

import shlex
import threading
import time
from collections.abc import Iterator

from host_service.drivers.simulated import UiModel
from host_service.drivers.simulated.renderer import Frame, ScreenRenderer
from tests.host_service.drivers.fake_adb.hierarchy import hierarchy_xml

LAUNCHER = ("com.google.android.tvlauncher", ".MainActivity")
SETTINGS = ("com.android.tv.settings", ".MainSettings")
STANDBY = "standby"
# Android key codes (names and numbers) -> keys of the UI model's remote
KEYCODES = {
    "KEYCODE_DPAD_UP": ("UP", 19),
    "KEYCODE_DPAD_DOWN": ("DOWN", 20),
    "KEYCODE_DPAD_LEFT": ("LEFT", 21),
    "KEYCODE_DPAD_RIGHT": ("RIGHT", 22),
    "KEYCODE_DPAD_CENTER": ("OK", 23),
    "KEYCODE_ENTER": ("OK", 66),
    "KEYCODE_BACK": ("BACK", 4),
    "KEYCODE_HOME": ("HOME", 3),
    "KEYCODE_MENU": ("MENU", 82),
    "KEYCODE_GUIDE": ("GUIDE", 172),
    "KEYCODE_INFO": ("INFO", 165),
    "KEYCODE_POWER": ("POWER", 26),
    "KEYCODE_CHANNEL_UP": ("CH_UP", 166),
    "KEYCODE_CHANNEL_DOWN": ("CH_DOWN", 167),
    "KEYCODE_VOLUME_UP": ("", 24),  # keys the model does not use: accepted, change nothing
    "KEYCODE_MEDIA_PLAY_PAUSE": ("", 85),
}
_BY_NUMBER = {number: key for key, number in KEYCODES.values()}


def app_package(app: str) -> str:
    return f"com.example.{app}"


class AndroidTV:
    def __init__(self, ui: UiModel, load_scale: float = 0.0) -> None:
        self._ui = ui
        self._load_scale = load_scale
        self._lock = threading.Lock()
        self._renderer = ScreenRenderer()
        self.screen = ui.initial_screen
        self.typed = ""
        self.commands: list[list[str]] = []
        self._ready_at = 0.0
        self.hang_on: set[str] = set()  # programs that never answer (until released)
        self._released = threading.Event()
        self.hung = threading.Semaphore(0)  # released once per call that starts hanging

    def release(self) -> None:
        self._released.set()

    # -- what the device shows -------------------------------------------------------------

    def foreground(self) -> tuple[str, str]:
        for app, screen in self._ui.apps.items():
            if self.screen == screen:
                return app_package(app), ".MainActivity"
        return SETTINGS if self.screen.startswith("settings") else LAUNCHER

    def frame(self) -> Frame:
        screen = self._ui.screens.get(self.screen)
        if screen is None:
            return Frame(title="", standby=True)
        if time.monotonic() < self._ready_at:
            return Frame(title=screen.title, loading=True)
        texts = (*screen.texts, self.typed) if "search_field" in screen.elements else screen.texts
        return Frame(
            screen.title, tuple(t for t in texts if t), tuple(screen.elements), screen.focused
        )

    # -- the shell -------------------------------------------------------------------------

    def shell(self, command_line: str) -> Iterator[bytes]:
        lexer = shlex.shlex(command_line, posix=True, punctuation_chars=";&")
        lexer.whitespace_split = True
        status, argv, joiner = 0, [], ";"
        for token in [*lexer, ";"]:
            if token not in (";", "&&"):
                argv.append(token.replace("$?", str(status)))
                continue
            if argv and (joiner == ";" or status == 0):
                output, status = self.run([*argv])
                yield output
            argv, joiner = [], token

    def run(self, argv: list[str]) -> tuple[bytes, int]:
        with self._lock:
            self.commands.append(argv)
        if argv[0] in self.hang_on:
            self.hung.release()
            self._released.wait()  # a device that stopped answering
            return b"", 1
        program, args = argv[0], argv[1:]
        if program == "echo":
            return (" ".join(args) + "\n").encode(), 0
        if program == "getprop":
            return b"Fake Android TV\n", 0
        if program == "screencap":
            return self._renderer.png(self.frame()), 0
        if program == "uiautomator" and args[:1] == ["dump"]:
            target = args[1] if len(args) > 1 else "/sdcard/window_dump.xml"
            package = self.foreground()[0]
            xml = hierarchy_xml(self.frame(), package) if target == "/dev/tty" else ""
            return f"{xml}UI hierchary dumped to: {target}\n".encode(), 0
        if argv[:3] == ["dumpsys", "window", "windows"]:
            package, activity = self.foreground()
            return f"  mCurrentFocus=Window{{1f2e3d4 u0 {package}/{activity}}}\n".encode(), 0
        if program == "input" and args:
            return self._input(args[0], args[1:])
        if program == "monkey" and "-p" in args:
            return self._launch(args[args.index("-p") + 1], "")
        if program == "am" and args[:1] == ["start"] and "-n" in args:
            package, _, activity = args[args.index("-n") + 1].partition("/")
            return self._launch(package, activity)
        if program == "am" and args[:1] == ["force-stop"] and len(args) == 2:
            if self.foreground()[0] == args[1]:
                self._go(self._ui.initial_screen)
            return b"", 0
        return f"/system/bin/sh: {program}: inaccessible or not found\n".encode(), 127

    def _input(self, what: str, args: list[str]) -> tuple[bytes, int]:
        if what == "keyevent":
            for code in args:
                key = self._key(code)
                if key is None:
                    return f"Error: Unknown keycode {code}\n".encode(), 1
                self._press(key)
            return b"", 0
        if what == "text" and len(args) == 1:
            self.typed += args[0].replace("%s", " ")
            return b"", 0
        if what == "tap" and len(args) == 2:
            self._press("OK")  # a tap selects: the model has one way forward per screen
            return b"", 0
        if what == "swipe" and len(args) in (4, 5):
            return b"", 0
        return f"Error: Unknown command: input {what}\n".encode(), 1

    def _key(self, code: str) -> str | None:
        if code.isdigit():
            return _BY_NUMBER.get(int(code))
        name = code if code.startswith("KEYCODE_") else f"KEYCODE_{code}"
        entry = KEYCODES.get(name)
        return None if entry is None else entry[0]

    def _press(self, key: str) -> None:
        if key == "POWER":
            self._go(self._ui.initial_screen if self.screen == STANDBY else STANDBY)
        elif key and self.screen != STANDBY and key in self._ui.keys:
            self._go(self._ui.next_screen(self.screen, key))

    def _launch(self, package: str, activity: str) -> tuple[bytes, int]:
        targets = {app_package(app): screen for app, screen in self._ui.apps.items()}
        targets[SETTINGS[0]] = "settings"
        targets[LAUNCHER[0]] = self._ui.initial_screen
        if package not in targets:
            if activity:
                return (
                    f"Error: Activity class {{{package}/{activity}}} does not exist.\n".encode(),
                    1,
                )
            return b"** No activities found to run, monkey aborted.\n", 252
        self._go(targets[package])
        return f"Starting: Intent {{ cmp={package}/{activity or '.MainActivity'} }}\n".encode(), 0

    def _go(self, screen: str) -> None:
        self.screen = screen
        load_ms = self._ui.screens[screen].load_ms if screen in self._ui.screens else 0
        self._ready_at = time.monotonic() + load_ms * self._load_scale / 1000
