"""Change: what one registry write did, as its listeners (journal, metrics) hear of it."""

from dataclasses import dataclass, field
from typing import Protocol

from host_service.engine.events import EventDraft, StoredEvent
from host_service.engine.record import ExecutionRecord
from schemas.events import StatusEvent


@dataclass(frozen=True)
class Change:
    """What one write did to a record, for listeners."""

    created: bool = False
    events: list[StoredEvent] = field(default_factory=list)  # as their wire JSON
    log_line: str | None = None


class RegistryListener(Protocol):
    def changed(self, record: ExecutionRecord, change: Change) -> None:
        """Called under the registry lock, before anyone can see the change."""

    def evicted(self, execution_ids: list[str]) -> None:
        """Called under the registry lock when retention drops finished records."""


def status_event(r: ExecutionRecord) -> EventDraft:
    return (
        StatusEvent,
        {"status": r.status, "message": r.message, "result": r.result, "error": r.error},
    )
