"""The registry's internal record of an execution, kept apart from its public view."""

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter

from host_service.engine.artifact import Artifact
from host_service.engine.events import EventLog
from host_service.runtime.cancel import CancelToken, StopReason
from schemas import (
    CapturePolicy,
    ExecutionError,
    ExecutionKind,
    ExecutionResult,
    ExecutionStatus,
    ExecutionView,
    StepView,
)

# The token of every finished record (registry.finish): cancelled, so any late use of it
# stops at once rather than waiting.
SPENT_TOKEN = CancelToken()
SPENT_TOKEN.cancel(StopReason.cancelled)


def utcnow() -> datetime:
    return datetime.now(UTC)


_RESULT: TypeAdapter[ExecutionResult] = TypeAdapter(ExecutionResult)
_STEPS: TypeAdapter[list[StepView]] = TypeAdapter(list[StepView])
_ELAPSED = b'"elapsed_ms":'


@dataclass(frozen=True, slots=True)
class StoredParts:
    """A finished record's result, error and steps as the journal holds them (JSON text).

    A finished record read back at start keeps only these, and builds the models each
    time something reads them (a view, a report), without keeping them: as models,
    10,000 records read back took more memory than the run that made them, and building
    them was most of a restart's time. A finished record never changes, so nothing is
    ever written back to the models.
    """

    result: str | None
    error: str | None
    steps: str

    def result_model(self) -> ExecutionResult | None:
        return None if self.result is None else _RESULT.validate_json(self.result)

    def error_model(self) -> ExecutionError | None:
        return None if self.error is None else ExecutionError.model_validate_json(self.error)

    def steps_models(self) -> dict[str, StepView]:
        return {step.id: step for step in _STEPS.validate_json(self.steps)}


@dataclass(eq=False, slots=True)
class ExecutionRecord:
    execution_id: str
    kind: ExecutionKind
    host_name: str
    device_id: str
    request: dict[str, Any]
    max_log_lines: int
    max_events: int = 5_000
    idempotency: tuple[str, str] | None = None  # (key, request fingerprint)
    capture: CapturePolicy = CapturePolicy.on_failure  # which steps leave a screenshot
    created_at: datetime = field(default_factory=utcnow)
    status: ExecutionStatus = ExecutionStatus.queued
    progress: int = 0
    message: str = "waiting for the device"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    # Read through `result`, `error` and `steps`; a finished record read back keeps them
    # in `stored` only (see StoredParts).
    stored: StoredParts | None = None
    _result: ExecutionResult | None = field(default=None, init=False)
    _error: ExecutionError | None = field(default=None, init=False)
    _steps: dict[str, StepView] = field(default_factory=dict, init=False)
    current_step_id: str | None = None
    artifacts: list[Artifact] = field(default_factory=list)  # oldest first
    artifacts_dropped: int = 0  # over the cap per execution
    logs_dropped: int = 0
    version: int = 0
    token: CancelToken = field(default_factory=CancelToken)
    # Set by the run (RunReport.so_far): its result so far, should it be stopped while a
    # driver call ignores the stop. Dropped when the execution finishes.
    so_far: Callable[[StopReason], ExecutionResult] | None = field(default=None, repr=False)
    # The wire form without logs (see `view_json`).
    wire: tuple[int, int | None, bytes, bytes | None] | None = None
    logs: deque[str] = field(init=False)
    events: EventLog = field(init=False)

    def __post_init__(self) -> None:
        self.logs = deque(maxlen=self.max_log_lines)
        self.events = EventLog(self.execution_id, self.max_events)

    def decode_stored(self) -> None:
        """Models from now on: called before any change (only unfinished records change)."""
        stored = self.stored
        if stored is not None:
            self._result, self._error = stored.result_model(), stored.error_model()
            self._steps = stored.steps_models()
            self.stored = None

    @property
    def result(self) -> ExecutionResult | None:
        return self._result if self.stored is None else self.stored.result_model()

    @result.setter
    def result(self, value: ExecutionResult | None) -> None:
        self.decode_stored()
        self._result = value

    @property
    def error(self) -> ExecutionError | None:
        return self._error if self.stored is None else self.stored.error_model()

    @error.setter
    def error(self, value: ExecutionError | None) -> None:
        self.decode_stored()
        self._error = value

    @property
    def steps(self) -> dict[str, StepView]:
        return self._steps if self.stored is None else self.stored.steps_models()

    @steps.setter
    def steps(self, value: dict[str, StepView]) -> None:
        self.decode_stored()
        self._steps = value

    @property
    def log_count(self) -> int:
        """Lines appended since creation, dropped ones included."""
        return self.logs_dropped + len(self.logs)

    def append_log(self, line: str) -> None:
        if len(self.logs) == self.logs.maxlen:
            self.logs_dropped += 1
        self.logs.append(line)

    def elapsed_ms(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at or utcnow()
        return (end - self.started_at).total_seconds() * 1000

    def view_json(self, queue_position: int | None) -> bytes:
        """The view without logs as JSON, built once per version and queue position:
        every change bumps `version`, and status reads of an execution outnumber its
        changes (clients poll). A running execution's `elapsed_ms`, the one field that
        moves without a change, is put in at each read."""
        wire = self.wire
        if wire is None or wire[0] != self.version or wire[1] != queue_position:
            data = self.view(queue_position, False).model_dump_json().encode()
            if self.status is ExecutionStatus.running:
                # The first `"elapsed_ms":` is the view's own: the fields before it are
                # scalars, and a quote inside a JSON string is escaped.
                at = data.index(_ELAPSED) + len(_ELAPSED)
                wire = (self.version, queue_position, data[:at], data[data.index(b",", at) :])
            else:
                wire = (self.version, queue_position, data, None)
            self.wire = wire
        head, tail = wire[2], wire[3]
        if tail is None:
            return head
        return b"%b%r%b" % (head, self.elapsed_ms(), tail)

    def view(self, queue_position: int | None, include_logs: bool) -> ExecutionView:
        logs = None
        if include_logs:
            dropped = (
                [f"... {self.logs_dropped} earlier lines dropped"] if self.logs_dropped else []
            )
            logs = dropped + list(self.logs)
        return ExecutionView(
            execution_id=self.execution_id,
            kind=self.kind,
            host_name=self.host_name,
            device_id=self.device_id,
            status=self.status,
            progress=self.progress,
            message=self.message,
            created_at=self.created_at,
            started_at=self.started_at,
            finished_at=self.finished_at,
            elapsed_ms=self.elapsed_ms(),
            queue_position=queue_position if self.status is ExecutionStatus.queued else None,
            result=self.result,
            error=self.error,
            steps=list(self.steps.values()),
            current_step_id=self.current_step_id,
            artifacts=[a.view(self.execution_id) for a in self.artifacts],
            artifacts_dropped=self.artifacts_dropped,
            logs=logs,
        )
