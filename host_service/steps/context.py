"""RunContext: what an executor's thread may touch while it drives a device."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from host_service.drivers import Device, DriverError
from host_service.drivers.capture import capturing
from host_service.runtime.cancel import CancelToken, ExecutionStopped, StopReason
from host_service.runtime.limits import RunLimits
from schemas import CapturePolicy, ExecutionResult, StepState


class RunReport(Protocol):
    """Where a run's live state goes; the engine records it (and journals it)."""

    def progress(self, percent: int, message: str | None) -> None: ...

    def declare_steps(self, steps: list[tuple[str, str]]) -> None: ...

    def step_running(self, step_id: str, label: str, message: str) -> None: ...

    def step_finished(
        self, step_id: str, state: StepState, duration_ms: float, message: str
    ) -> None: ...

    def artifact(self, step_id: str, media_type: str, data: bytes) -> None:
        """Keep a file as evidence of the step (within the host's cap per execution)."""
        ...

    def so_far(self, build: Callable[[StopReason], ExecutionResult]) -> None:
        """How to tell the run's result so far, for when it is stopped while a driver call
        ignores the stop (the run cannot raise `ExecutionStopped` with it then): the
        engine calls `build` from another thread, once, and only in that case."""
        ...


@dataclass(eq=False)
class RunContext:
    execution_id: str
    device: Device
    token: CancelToken
    report: RunReport
    log: logging.Logger
    capture: CapturePolicy = CapturePolicy.on_failure
    limits: RunLimits = field(default_factory=RunLimits)

    def progress(self, done: int, total: int, message: str | None = None) -> None:
        percent = int(100 * done / total) if total else 0
        self.report.progress(min(percent, 99), message)

    def declare_steps(self, steps: list[tuple[str, str]]) -> None:
        """Show every step up front as pending, so clients see the whole plan.

        Steps that never ran end `skipped` when the execution ends (the registry's rule).
        """
        self.report.declare_steps(steps)

    def step_running(self, step_id: str, label: str, message: str = "") -> float:
        self.report.step_running(step_id, label, message)
        return time.monotonic()

    def step_done(self, step_id: str, started: float, passed: bool, message: str = "") -> None:
        """The step's outcome; then the screen as its evidence, as the request's `capture`
        asks (every kind ends its steps here: the one rule of when to capture)."""
        state = StepState.passed if passed else StepState.failed
        self.report.step_finished(step_id, state, (time.monotonic() - started) * 1000, message)
        if self.capture is CapturePolicy.always or (
            self.capture is CapturePolicy.on_failure and not passed
        ):
            self.keep_screen(step_id)

    def keep_screen(self, step_id: str) -> None:
        """The device's screen as an artifact of the step, when its driver can capture.

        Evidence never changes an outcome: a capture that fails is logged, and a stop
        that lands during one skips it (the run stops at its next check).
        """
        screen = capturing(self.device.driver)
        if screen is None:
            return
        try:
            png = screen.capture(self.token)
        except DriverError as exc:
            self.log.warning("no screenshot of step %s: %s: %s", step_id, exc.code, exc.message)
            return
        except ExecutionStopped:
            return
        self.report.artifact(step_id, "image/png", png)
