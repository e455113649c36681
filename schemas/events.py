"""The event log of an execution: what happened, in order, each with a sequence number.

The same models travel as server-sent events (`id` = `seq`, `event` = `type`, `data` =
the model as JSON) and as JSON pages for clients that cannot stream.
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from schemas.artifacts import ArtifactView
from schemas.base import ResponseModel
from schemas.execution import ExecutionError, ExecutionResult, ExecutionStatus, StepView


class EventType(StrEnum):
    status = "status"  # the status changed; the terminal one carries result or error
    progress = "progress"  # progress percentage or message moved
    step_started = "step_started"  # a step (action, verification, edge, block) began
    step_finished = "step_finished"  # a step ended; `step` holds its state and duration
    log = "log"  # one captured log line
    artifact = "artifact"  # a file (screenshot) was kept as evidence of a step
    truncated = "truncated"  # the event cap was reached: only status events follow


class _Event(ResponseModel):
    seq: int = Field(ge=1, description="Position in the execution's log, from 1, no gaps.")
    execution_id: str
    at: datetime


class StatusEvent(_Event):
    type: Literal[EventType.status] = EventType.status
    status: ExecutionStatus
    message: str = ""
    result: ExecutionResult | None = None
    error: ExecutionError | None = None


class ProgressEvent(_Event):
    type: Literal[EventType.progress] = EventType.progress
    progress: int = Field(ge=0, le=100)
    message: str = ""


class StepStartedEvent(_Event):
    type: Literal[EventType.step_started] = EventType.step_started
    step: StepView


class StepFinishedEvent(_Event):
    type: Literal[EventType.step_finished] = EventType.step_finished
    step: StepView


class LogEvent(_Event):
    type: Literal[EventType.log] = EventType.log
    line: str


class ArtifactEvent(_Event):
    type: Literal[EventType.artifact] = EventType.artifact
    artifact: ArtifactView
    dropped: list[str] = Field(
        default_factory=list, description="Names of older artifacts dropped to stay in the cap."
    )


class TruncatedEvent(_Event):
    type: Literal[EventType.truncated] = EventType.truncated
    limit: int = Field(description="The cap of events per execution that was reached.")


ExecutionEvent = Annotated[
    StatusEvent
    | ProgressEvent
    | StepStartedEvent
    | StepFinishedEvent
    | LogEvent
    | ArtifactEvent
    | TruncatedEvent,
    Field(discriminator="type"),
]

EXECUTION_EVENT: TypeAdapter[ExecutionEvent] = TypeAdapter(ExecutionEvent)

# The last message of a stream that a service ends before the execution does (it is
# stopping): an SSE event of this name, without an id, data `{"reason", "message"}`.
# Not an execution event: reconnect with Last-Event-ID (or poll) to follow the rest.
STREAM_END = "stream_end"
# Every `event:` name an execution's event stream may carry.
EXECUTION_EVENT_NAMES = frozenset({*(t.value for t in EventType), STREAM_END})


class ExecutionEventPage(ResponseModel):
    """Events after a sequence number, for clients that poll instead of streaming."""

    execution_id: str
    events: list[ExecutionEvent]
    last_seq: int = Field(description="Pass as `after` to get what follows.")
    finished: bool = Field(description="True once the terminal status event is in the log.")
