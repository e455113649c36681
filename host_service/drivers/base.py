"""What every device driver offers the executors.

A driver is called from an execution's worker thread; the device lease makes
sure one execution at a time calls a given driver instance. Faults of the
tooling raise `DriverError` (the execution ends in `error`); a condition that
does not hold is an `Observation` with `success=False` (a failed test).
"""

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Protocol

from host_service.runtime.cancel import CancelToken
from host_service.runtime.logs import current_execution_id
from schemas import CommandSpec, VerificationSpec


class DriverError(Exception):
    """The tooling could not do what was asked: disconnected device, crashed tool."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class DriverSettingsError(Exception):
    """A device's driver settings cannot be used; `setting` names the one at fault."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting
        self.message = message


@dataclass(frozen=True)
class CommandOutcome:
    success: bool
    message: str = ""
    output: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Observation:
    """One look at the device: whether the condition holds, and what was seen."""

    success: bool
    expected: str
    observed: str


@dataclass(frozen=True)
class CallRecord:
    execution_id: str | None
    operation: str
    started: float
    finished: float


class CallLog:
    """The driver's own record of its recent calls, so tests can prove calls never overlap.

    Kept short: every host keeps one per device for as long as it runs, and at 20,000
    calls each, 25 devices held ~70 MB that a load never gave back.
    """

    def __init__(self, maxlen: int = 1_000) -> None:
        self._records: deque[CallRecord] = deque(maxlen=maxlen)
        self._lock = threading.Lock()

    def record(self, operation: str, started: float) -> None:
        rec = CallRecord(current_execution_id.get(), operation, started, time.monotonic())
        with self._lock:
            self._records.append(rec)

    def snapshot(self) -> list[CallRecord]:
        with self._lock:
            return list(self._records)


class Driver(Protocol):
    name: str
    calls: CallLog

    def commands(self) -> list[CommandSpec]: ...

    def verifications(self) -> list[VerificationSpec]: ...

    def polls(self, type_: str, command: str) -> bool:
        """Whether a verification waits for its condition rather than checking once."""
        ...

    def execute(
        self, command: str, params: dict[str, Any], token: CancelToken
    ) -> CommandOutcome: ...

    def observe(
        self, type_: str, command: str, params: dict[str, Any], token: CancelToken
    ) -> Observation: ...

    def poll_interval_s(self) -> float:
        """How often a waiting verification looks again."""
        ...

    def execute_problems(self, command: str, params: dict[str, Any]) -> list[tuple[str, str]]:
        """`(param, problem)` pairs for params that fit the command's specs but that
        `execute` would still refuse (a rendered argument); checked at start."""
        ...

    def observe_problems(
        self, type_: str, command: str, params: dict[str, Any]
    ) -> list[tuple[str, str]]:
        """As `execute_problems`, for a verification."""
        ...

    def status(self) -> dict[str, Any]:
        """Driver-specific facts for the device view (screen, power, connection)."""
        ...

    @property
    def online(self) -> bool: ...

    # -- lifecycle: owned by the host's lifespan and by the orchestrator ------------------

    async def open(self) -> None:
        """Called once by the lifespan before the host serves, devices in config order."""
        ...

    async def aclose(self) -> None:
        """Called once on the way out, in reverse order; releases calls stuck in a hang."""
        ...

    def begin(self, execution_id: str) -> None:
        """Called in the execution's worker thread before the executor drives the device."""
        ...

    def end(self, execution_id: str) -> None:
        """Called in the same thread after the executor returned or raised, always."""
        ...


class DriverBase:
    """No-op lifecycle for drivers that hold nothing between executions, and no checks of
    params beyond their specs."""

    def execute_problems(self, command: str, params: dict[str, Any]) -> list[tuple[str, str]]:
        return []

    def observe_problems(
        self, type_: str, command: str, params: dict[str, Any]
    ) -> list[tuple[str, str]]:
        return []

    async def open(self) -> None:
        return None

    async def aclose(self) -> None:
        return None

    def begin(self, execution_id: str) -> None:
        return None

    def end(self, execution_id: str) -> None:
        return None
