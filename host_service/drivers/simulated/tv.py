"""A virtual TV: screens and keys from a UI model, real-feeling latencies, seeded faults."""

import random
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from host_service.drivers.base import (
    CallLog,
    CommandOutcome,
    DriverBase,
    DriverError,
    DriverSettingsError,
    Observation,
)
from host_service.drivers.settings import parse_settings, settings_file
from host_service.drivers.simulated.faults import Faults, Latencies
from host_service.drivers.simulated.renderer import Frame, ScreenRenderer
from host_service.drivers.simulated.ui_model import UiModel, load_ui_model
from host_service.runtime.cancel import CancelToken
from host_service.runtime.logs import execution_logger
from schemas import CommandSpec, ParamSpec, VerificationSpec

log = execution_logger("driver.simulated")

STANDBY = "standby"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


class SimulatedSettings(BaseModel):
    """The `settings` of a device whose driver is `simulated`."""

    model_config = ConfigDict(extra="forbid")

    ui_model: Path = Field(description="UI model file, relative to the host config file.")
    faults: Faults = Field(default_factory=Faults)
    latencies: Latencies = Field(default_factory=Latencies)


def _p(name: str, type_: str = "string", **kw: Any) -> ParamSpec:
    return ParamSpec.model_validate({"name": name, "type": type_, **kw})


# (type, command) -> (polls?, observed quantity, description)
_CHECKS: dict[tuple[str, str], tuple[bool, str, str]] = {
    ("screen", "check_screen"): (False, "screen", "The current screen is `screen`."),
    ("screen", "wait_for_screen"): (True, "screen", "Wait until the screen is `screen`."),
    ("text", "check_text"): (False, "text", "`text` is shown now."),
    ("text", "wait_for_text_to_appear"): (True, "text", "Wait until `text` is shown."),
    ("text", "wait_for_text_to_disappear"): (True, "no_text", "Wait until `text` is gone."),
    ("element", "check_element"): (False, "element", "`element` is on screen now."),
    ("element", "wait_for_element_to_appear"): (True, "element", "Wait for `element`."),
    ("element", "wait_for_element_to_disappear"): (True, "no_element", "Wait until it is gone."),
    ("power", "check_power"): (False, "power", "Power is `state` (on/off)."),
}
_CHECK_PARAM = {
    "screen": "screen",
    "text": "text",
    "no_text": "text",
    "element": "element",
    "no_element": "element",
    "power": "state",
}


class SimulatedTV(DriverBase):
    """Implements the `Driver` protocol for a virtual set-top box."""

    name = "simulated"

    def __init__(self, ui: UiModel, settings: SimulatedSettings, latency_scale: float) -> None:
        self._ui = ui
        self._latencies = settings.latencies
        self._scale = latency_scale
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.calls = CallLog()
        self._renderer = ScreenRenderer()
        self._screen = ui.initial_screen
        self._ready_at = 0.0
        self._online = True
        self._call_count = 0
        self.set_faults(settings.faults)
        # Built once: hosts validate every start request against these.
        self._commands = self._command_specs()
        self._verifications = self._verification_specs()

    @classmethod
    def from_settings(
        cls, raw: dict[str, Any], base_dir: Path, latency_scale: float
    ) -> "SimulatedTV":
        settings = parse_settings(SimulatedSettings, raw)
        path = settings_file("ui_model", base_dir, settings.ui_model)
        try:
            ui = load_ui_model(path)
        except (OSError, ValueError, yaml.YAMLError) as exc:  # ValidationError is a ValueError
            message = f"cannot load {path}: {_first_line(exc)}"
            raise DriverSettingsError("ui_model", message) from exc
        return cls(ui, settings, latency_scale)

    def set_faults(self, faults: Faults) -> None:
        with self._lock:
            self._faults = faults
            self._rng = random.Random(faults.seed)  # noqa: S311 - fault injection, not crypto

    def reconnect(self) -> None:
        with self._lock:
            self._online = True
            self._call_count = 0
            self._faults = self._faults.model_copy(update={"disconnect_after_calls": None})

    def release_hangs(self) -> None:
        self._released.set()

    # -- the Driver protocol ---------------------------------------------------------------

    def commands(self) -> list[CommandSpec]:
        return self._commands

    def verifications(self) -> list[VerificationSpec]:
        return self._verifications

    def _command_specs(self) -> list[CommandSpec]:
        return [
            CommandSpec(
                command="press_key",
                description="Press a key of the remote.",
                params=[_p("key", choices=self._ui.keys)],
            ),
            CommandSpec(
                command="launch_app",
                description="Open an app from anywhere.",
                params=[_p("app", choices=sorted(self._ui.apps))],
            ),
            CommandSpec(command="power_on", description="Wake the box from standby."),
            CommandSpec(command="power_off", description="Put the box in standby."),
            CommandSpec(
                command="input_text",
                description="Type text into the focused field.",
                params=[_p("text")],
            ),
        ]

    def _verification_specs(self) -> list[VerificationSpec]:
        specs = []
        for (type_, command), (_, quantity, description) in _CHECKS.items():
            param = _CHECK_PARAM[quantity]
            choices = sorted(self._ui.screens) if param == "screen" else None
            choices = ["on", "off"] if param == "state" else choices
            specs.append(
                VerificationSpec(
                    type=type_,
                    command=command,
                    description=description,
                    params=[_p(param, choices=choices)],
                )
            )
        return specs

    def polls(self, type_: str, command: str) -> bool:
        return _CHECKS[(type_, command)][0]

    @property
    def online(self) -> bool:
        return self._online

    def status(self) -> dict[str, Any]:
        with self._lock:
            return {
                "screen": self._screen,
                "power": "off" if self._screen == STANDBY else "on",
                "online": self._online,
            }

    def execute(self, command: str, params: dict[str, Any], token: CancelToken) -> CommandOutcome:
        started = time.monotonic()
        try:
            self._before_call(command, token)
            if command == "press_key":
                return self._press(str(params["key"]), token)
            if command == "launch_app":
                return self._launch(str(params["app"]), token)
            if command in ("power_on", "power_off"):
                token.wait(self._ms(self._latencies.power_ms))
                with self._lock:
                    self._screen = self._ui.initial_screen if command == "power_on" else STANDBY
                return CommandOutcome(True, f"power {command.removeprefix('power_')}")
            if command == "input_text":
                token.wait(
                    self._ms(self._latencies.key_press_ms) * max(1, len(str(params["text"])))
                )
                return CommandOutcome(True, "typed", {"typed": params["text"]})
            raise DriverError("unknown_command", f"simulated TV has no command {command!r}")
        finally:
            self.calls.record(command, started)

    def observe(
        self, type_: str, command: str, params: dict[str, Any], token: CancelToken
    ) -> Observation:
        started = time.monotonic()
        try:
            self._before_call(f"{type_}.{command}", token)
            token.wait(self._ms(self._latencies.observe_ms))
            quantity = _CHECKS[(type_, command)][1]
            wanted = str(params[_CHECK_PARAM[quantity]])
            return self._look(quantity, wanted)
        finally:
            self.calls.record(f"{type_}.{command}", started)

    def poll_interval_s(self) -> float:
        return max(0.001, self._ms(self._latencies.poll_interval_ms))

    can_capture = True

    def capture(self, token: CancelToken) -> bytes:
        """The current screen as a PNG, drawn from the UI model (renderer.py)."""
        started = time.monotonic()
        try:
            self._before_call("capture", token)
            token.wait(self._ms(self._latencies.capture_ms))
            return self._renderer.png(self._frame()[1])
        finally:
            self.calls.record("capture", started)

    async def aclose(self) -> None:
        self._released.set()

    # -- internals -------------------------------------------------------------------------

    def _ms(self, ms: float) -> float:
        return ms * self._scale / 1000.0

    def _before_call(self, operation: str, token: CancelToken) -> None:
        with self._lock:
            self._call_count += 1
            limit = self._faults.disconnect_after_calls
            if limit is not None and self._call_count > limit:
                self._online = False
            if not self._online:
                raise DriverError("device_disconnected", "the simulated TV does not answer")
            hang = operation in self._faults.hang_commands
        if hang:
            log.warning("%s hangs (fault injection); it ignores cancellation", operation)
            self._released.wait()  # deliberately deaf to the token: this is the fault
            raise DriverError("device_hung", f"{operation} hung and was released")
        token.check()

    def _press(self, key: str, token: CancelToken) -> CommandOutcome:
        token.wait(self._ms(self._latencies.key_press_ms))
        with self._lock:
            if self._screen == STANDBY and key != "POWER":
                return CommandOutcome(False, f"{key} ignored: the box is in standby")
            if self._rng.random() < self._faults.key_failure_rate:
                log.info("key %s not acknowledged (fault injection)", key)
                return CommandOutcome(False, f"key {key} not acknowledged")
            target = self._ui.next_screen(self._screen, key)
            neighbours = self._ui.neighbours(self._screen)
            if neighbours and self._rng.random() < self._faults.wrong_screen_rate:
                target = self._rng.choice([n for n in neighbours if n != target] or neighbours)
                log.info("key %s landed on %s (fault injection)", key, target)
            self._go(target)
            return CommandOutcome(True, f"pressed {key}", {"screen": self._screen})

    def _launch(self, app: str, token: CancelToken) -> CommandOutcome:
        token.wait(self._ms(self._latencies.launch_app_ms))
        with self._lock:
            if self._screen == STANDBY:
                return CommandOutcome(False, f"cannot launch {app}: the box is in standby")
            self._go(self._ui.apps[app])
            return CommandOutcome(True, f"launched {app}", {"screen": self._screen})

    def _go(self, screen: str) -> None:
        self._screen = screen
        load = self._ui.screens[screen].load_ms if screen in self._ui.screens else 0
        self._ready_at = time.monotonic() + self._ms(load)

    def _frame(self) -> tuple[str, Frame]:
        """The current screen's id and what it shows now (a loading screen shows its title)."""
        with self._lock:
            screen_id = self._screen
            loading = time.monotonic() < self._ready_at
        screen = self._ui.screens.get(screen_id)
        if screen is None:
            return screen_id, Frame(title="", standby=True)
        if loading:
            return screen_id, Frame(title=screen.title, loading=True)
        frame = Frame(screen.title, tuple(screen.texts), tuple(screen.elements), screen.focused)
        return screen_id, frame

    def _look(self, quantity: str, wanted: str) -> Observation:
        screen_id, frame = self._frame()
        texts = [] if frame.standby else [frame.title, *frame.texts]
        elements = list(frame.elements)
        power = "off" if screen_id == STANDBY else "on"
        if quantity == "screen":
            return Observation(screen_id == wanted, f"screen {wanted}", f"screen {screen_id}")
        if quantity == "power":
            return Observation(power == wanted, f"power {wanted}", f"power {power}")
        if quantity in ("text", "no_text"):
            shown = wanted in texts
            expected = f"text {wanted!r} {'shown' if quantity == 'text' else 'absent'}"
            return Observation(shown == (quantity == "text"), expected, f"texts {texts}")
        shown = wanted in elements
        expected = f"element {wanted!r} {'shown' if quantity == 'element' else 'absent'}"
        return Observation(shown == (quantity == "element"), expected, f"elements {elements}")
