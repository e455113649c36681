"""RunContext: what an executor's thread may touch while it drives a device."""

import logging
import time
from dataclasses import dataclass, field
from typing import Protocol

from host_service.drivers import Device
from host_service.runtime.cancel import CancelToken
from host_service.runtime.limits import RunLimits
from schemas import StepState


class RunReport(Protocol):
    """Where a run's live state goes; the engine records it (and journals it)."""

    def progress(self, percent: int, message: str | None) -> None: ...

    def declare_steps(self, steps: list[tuple[str, str]]) -> None: ...

    def step_running(self, step_id: str, label: str, message: str) -> None: ...

    def step_finished(
        self, step_id: str, state: StepState, duration_ms: float, message: str
    ) -> None: ...


@dataclass(eq=False)
class RunContext:
    execution_id: str
    device: Device
    token: CancelToken
    report: RunReport
    log: logging.Logger
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
        state = StepState.passed if passed else StepState.failed
        self.report.step_finished(step_id, state, (time.monotonic() - started) * 1000, message)
