"""The registry's internal record of an execution, kept apart from its public view."""

from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

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
    result: ExecutionResult | None = None
    error: ExecutionError | None = None
    steps: dict[str, StepView] = field(default_factory=dict)
    current_step_id: str | None = None
    artifacts: list[Artifact] = field(default_factory=list)  # oldest first
    artifacts_dropped: int = 0  # over the cap per execution
    logs_dropped: int = 0
    version: int = 0
    token: CancelToken = field(default_factory=CancelToken)
    # The wire form of a finished record without logs: it no longer changes.
    finished_json: bytes | None = None
    logs: deque[str] = field(init=False)
    events: EventLog = field(init=False)

    def __post_init__(self) -> None:
        self.logs = deque(maxlen=self.max_log_lines)
        self.events = EventLog(self.execution_id, self.max_events)

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
