"""EventLog: the ordered, capped events of one execution.

Sequence numbers start at 1 and have no gaps, so a client that resumes after
`seq` N gets exactly what follows. Past `limit` events, progress, step and log
events are no longer recorded (one `truncated` event says so); status events
always are, so every log still ends with its terminal status event.
"""

from datetime import datetime
from typing import Any

from schemas.events import EventType, ExecutionEvent, StatusEvent, TruncatedEvent

EventDraft = tuple[type[Any], dict[str, Any]]  # (event class, fields without seq/id/at)


class EventLog:
    def __init__(self, execution_id: str, limit: int) -> None:
        self._execution_id = execution_id
        self._limit = limit
        self._events: list[ExecutionEvent] = []
        self.truncated = False

    def __len__(self) -> int:
        return len(self._events)

    def append(self, draft: EventDraft, at: datetime) -> list[ExecutionEvent]:
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
        self._events.append(event)
        return [event]

    def after(self, seq: int) -> list[ExecutionEvent]:
        return self._events[max(0, seq) :]

    @property
    def last_seq(self) -> int:
        return len(self._events)

    @property
    def finished(self) -> bool:
        """True once the terminal status event is recorded."""
        last = self._events[-1] if self._events else None
        return isinstance(last, StatusEvent) and last.status.terminal

    def restore(self, events: list[ExecutionEvent]) -> None:
        """Load events read back from the journal, in order."""
        self._events = list(events)
        self.truncated = any(e.type is EventType.truncated for e in events)
