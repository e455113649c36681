"""A scripted driver whose every call the test controls.

Commands: `ok` (param `out`), `fail`, `flaky` (fails its first `times` calls),
`gate` (waits, cooperatively, until the test opens the gate), `hang` (ignores
cancellation until the test releases it), `broken` (a tooling fault: DriverError).
"""

import threading
import time
from pathlib import Path
from typing import Any

from host_service.drivers import CallLog, CommandOutcome, DriverBase, Observation
from host_service.drivers.base import DriverError
from host_service.runtime.cancel import CancelToken
from schemas import CommandSpec, ParamSpec, VerificationSpec


class FakeDriver(DriverBase):
    name = "fake"

    def __init__(self) -> None:
        self.calls = CallLog()
        self.gate = threading.Event()
        self.entered = threading.Semaphore(0)
        self.hang_released = threading.Event()
        self.flag = False
        self._flaky_calls = 0

    @classmethod
    def build(cls, raw: dict[str, Any], base_dir: Path, latency_scale: float) -> "FakeDriver":
        return cls()

    def commands(self) -> list[CommandSpec]:
        out = ParamSpec(name="out", type="string", required=False)
        times = ParamSpec(name="times", type="integer", required=False)
        return [
            CommandSpec(command="ok", params=[out]),
            CommandSpec(command="fail"),
            CommandSpec(command="flaky", params=[times]),
            CommandSpec(command="gate"),
            CommandSpec(command="hang"),
            CommandSpec(command="broken"),
        ]

    def verifications(self) -> list[VerificationSpec]:
        return [VerificationSpec(type="flag", command="wait_for_flag")]

    def polls(self, type_: str, command: str) -> bool:
        return True

    def poll_interval_s(self) -> float:
        return 0.005

    @property
    def online(self) -> bool:
        return True

    def status(self) -> dict[str, Any]:
        return {"flag": self.flag}

    def execute(self, command: str, params: dict[str, Any], token: CancelToken) -> CommandOutcome:
        started = time.monotonic()
        try:
            self.entered.release()
            if command == "ok":
                return CommandOutcome(True, "ok", {"out": params["out"]} if "out" in params else {})
            if command == "flaky":
                self._flaky_calls += 1
                return CommandOutcome(self._flaky_calls > params.get("times", 1), "flaky")
            if command == "gate":
                while not self.gate.wait(0.005):
                    token.check()
                return CommandOutcome(True, "gate opened")
            if command == "broken":
                raise DriverError("device_disconnected", "the fake device dropped off")
            if command == "hang":
                self.hang_released.wait()
                return CommandOutcome(True, "released")
            return CommandOutcome(False, "failed on purpose")
        finally:
            self.calls.record(command, started)

    def observe(
        self, type_: str, command: str, params: dict[str, Any], token: CancelToken
    ) -> Observation:
        return Observation(self.flag, "flag set", f"flag {self.flag}")

    async def aclose(self) -> None:
        self.gate.set()
        self.hang_released.set()
