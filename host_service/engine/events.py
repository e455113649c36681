"""EventLog: the ordered, capped events of one execution.

Sequence numbers start at 1 and have no gaps, so a client that resumes after
`seq` N gets exactly what follows. Past `limit` events, progress, step and log
events are no longer recorded (one `truncated` event says so); status events
always are, so every log still ends with its terminal status event.
"""

from datetime import datetime
from typing import Any, NamedTuple

from schemas.events import EventType, ExecutionEvent, StatusEvent, TruncatedEvent

EventDraft = tuple[type[Any], dict[str, Any]]  # (event class, fields without seq/id/at)


class StoredEvent(NamedTuple):
    """An event as the log keeps it: its wire form, built once. Bytes are not tracked by
    the cyclic GC, so thousands of retained executions cost collections nothing."""

    seq: int
    type: str
    json: bytes


class EventLog:
    def __init__(self, execution_id: str, limit: int) -> None:
        self._execution_id = execution_id
        self._limit = limit
        self._events: list[StoredEvent] = []
        self._finished = False
        self.truncated = False

    def __len__(self) -> int:
        return len(self._events)

    def append(self, draft: EventDraft, at: datetime) -> list[StoredEvent]:
        """Record one event; returns what was recorded (nothing, it, or `truncated`)."""
        cls, fields = draft
        if cls is not StatusEvent and len(self._events) >= self._limit:
            if self.truncated:
                return []
            self.truncated = True
            cls, fields = TruncatedEvent, {"limit": self._limit}
        event: ExecutionEvent = cls(
            seq=len(self._events) + 1, execution_id=self._execution_id, at=at, **fields
        )
        return [self._keep(event)]

    def after(self, seq: int) -> list[StoredEvent]:
        return self._events[max(0, seq) :]

    @property
    def last_seq(self) -> int:
        return len(self._events)

    @property
    def finished(self) -> bool:
        """True once the terminal status event is recorded."""
        return self._finished

    def restore(self, events: list[StoredEvent], terminal: bool) -> None:
        """Load events read back from the journal, in order, as stored: their JSON is the
        wire form, so nothing is parsed (validating every event made a restart slow and
        its transient models left the host larger than the run had). `terminal`: the
        record's status is, so its last event is that status."""
        self._events = events
        self._finished = terminal and bool(events) and events[-1].type == EventType.status
        self.truncated = any(e.type == EventType.truncated for e in events)

    def _keep(self, event: ExecutionEvent) -> StoredEvent:
        stored = StoredEvent(event.seq, event.type.value, event.model_dump_json().encode())
        self._events.append(stored)
        self._finished = isinstance(event, StatusEvent) and event.status.terminal
        return stored
