"""ExecutionRegistry: every execution of this host, keyed by execution_id.

Records are mutated from worker threads and read from the event loop, always
under one lock. Each change appends its events to the record's event log, is
handed to every listener (the journal writes it) while the lock is still held,
then bumps the record's `version` and wakes long-poll and event-stream waiters
on the loop. Finished records are evicted by age and by count, so the registry
never grows without bound; listeners hear of evictions too.
"""

import asyncio
import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from host_service.engine.change import Change, RegistryListener, status_event
from host_service.engine.events import EventDraft, StoredEvent
from host_service.engine.record import SPENT_TOKEN, ExecutionRecord, utcnow
from host_service.errors import NotFoundError
from host_service.runtime.loop_calls import LoopCalls
from schemas import (
    ExecutionError,
    ExecutionKind,
    ExecutionPage,
    ExecutionResult,
    ExecutionStatus,
    ExecutionView,
    StepState,
)
from schemas.events import LogEvent, ProgressEvent, StepFinishedEvent

QueuePosition = Callable[[str, str], int | None]

_ENDS_OF_UNFINISHED = {StepState.running: StepState.cancelled, StepState.pending: StepState.skipped}


class ExecutionRegistry:
    def __init__(
        self, *, max_age_s: float, max_count: int, queue_position: QueuePosition | None = None
    ) -> None:
        self._records: dict[str, ExecutionRecord] = {}
        self._finished: OrderedDict[str, None] = OrderedDict()  # oldest finished first
        self._idempotency: dict[str, tuple[str, str]] = {}  # key -> (fingerprint, id)
        self._lock = threading.RLock()
        self._max_age = timedelta(seconds=max_age_s)
        self._max_count = max_count
        self._queue_position = queue_position
        self._listeners: list[RegistryListener] = []
        self._calls: LoopCalls | None = None
        self._waiters: dict[str, asyncio.Event] = {}
        # What retention takes as "now"; tests move it instead of waiting.
        self.clock: Callable[[], datetime] = utcnow

    def bind_loop(self, calls: LoopCalls) -> None:
        self._calls = calls

    def set_queue_position(self, provider: QueuePosition) -> None:
        self._queue_position = provider

    def subscribe(self, listener: RegistryListener) -> None:
        """Tell `listener` of every change under the lock, before anyone can see it."""
        with self._lock:
            self._listeners.append(listener)

    def restore(self, records: list[ExecutionRecord]) -> None:
        """Load records read back from the journal (oldest first), telling no listener."""
        with self._lock:
            for record in records:
                self._records[record.execution_id] = record
                if record.idempotency is not None:
                    key, fingerprint = record.idempotency
                    self._idempotency[key] = (fingerprint, record.execution_id)
            done = [r for r in records if r.status.terminal and r.finished_at is not None]
            for record in sorted(done, key=lambda r: r.finished_at or r.created_at):
                self._finished[record.execution_id] = None

    def apply_retention(self) -> None:
        with self._lock:
            self._evict()

    # -- writes ----------------------------------------------------------------------------

    def add(self, record: ExecutionRecord) -> None:
        with self._lock:
            self._records[record.execution_id] = record
            if record.idempotency is not None:
                key, fingerprint = record.idempotency
                self._idempotency[key] = (fingerprint, record.execution_id)
            self._changed(record, status_event(record), created=True)
            self._evict()

    def update(
        self,
        execution_id: str,
        mutate: Callable[[ExecutionRecord], None],
        event: Callable[[ExecutionRecord], EventDraft] | None = None,
    ) -> bool:
        """Apply `mutate` to a live record, then log `event(record)`; False if finished or gone."""
        with self._lock:
            record = self._records.get(execution_id)
            if record is None or record.status.terminal:
                return False
            mutate(record)
            self._changed(record, None if event is None else event(record))
            return True

    def start(self, execution_id: str) -> bool:
        def mutate(r: ExecutionRecord) -> None:
            r.status = ExecutionStatus.running
            r.started_at = utcnow()
            r.message = "running"

        return self.update(execution_id, mutate, status_event)

    def progress(self, execution_id: str, progress: int, message: str | None = None) -> None:
        def mutate(r: ExecutionRecord) -> None:
            r.progress = max(0, min(100, progress))
            if message is not None:
                r.message = message

        def event(r: ExecutionRecord) -> EventDraft:
            return ProgressEvent, {"progress": r.progress, "message": r.message}

        self.update(execution_id, mutate, event)

    def finish(
        self,
        execution_id: str,
        status: ExecutionStatus,
        *,
        result: ExecutionResult | None = None,
        error: ExecutionError | None = None,
        message: str | None = None,
    ) -> bool:
        """Move to a terminal status once; later attempts are ignored (first stop wins)."""

        def mutate(r: ExecutionRecord) -> None:
            r.status = status
            r.finished_at = utcnow()
            r.result = result
            r.error = error
            r.current_step_id = None
            if status is ExecutionStatus.completed:
                r.progress = 100
            r.message = message or (error.message if error else status.value)
            # A finished record is never stopped again; its worker thread, if still stuck,
            # holds its own reference. One spent token for all keeps retained records light.
            r.token = SPENT_TOKEN
            r.so_far = None

        with self._lock:
            self._end_steps(execution_id)
            done = self.update(execution_id, mutate, status_event)
            if done:
                self._finished[execution_id] = None
                self._evict(keep=execution_id)
            return done

    def finish_queued(
        self,
        execution_id: str,
        status: ExecutionStatus,
        *,
        error: ExecutionError | None = None,
        message: str | None = None,
    ) -> bool:
        """Finish it only if it has not started: atomic with `start`, which a worker thread
        may call at the same moment (a lease passed on, docs/architecture.md)."""
        with self._lock:
            record = self._records.get(execution_id)
            if record is None or record.status is not ExecutionStatus.queued:
                return False
            return self.finish(execution_id, status, error=error, message=message)

    def _end_steps(self, execution_id: str) -> None:
        """Steps that did not finish end the same in every kind: running ones `cancelled`,
        pending ones `skipped`, each with the step event clients follow."""
        record = self._records.get(execution_id)
        if record is None or record.status.terminal:
            return
        unfinished = [s.id for s in record.steps.values() if s.state in _ENDS_OF_UNFINISHED]
        for step_id in unfinished:

            def mutate(r: ExecutionRecord, step_id: str = step_id) -> None:
                step = r.steps[step_id]
                end = _ENDS_OF_UNFINISHED[step.state]
                r.steps[step_id] = step.model_copy(update={"state": end})

            def event(r: ExecutionRecord, step_id: str = step_id) -> EventDraft:
                return StepFinishedEvent, {"step": r.steps[step_id]}

            self.update(execution_id, mutate, event)

    def append_log(self, execution_id: str, line: str) -> None:
        with self._lock:
            record = self._records.get(execution_id)
            if record is not None:
                record.append_log(line)
                self._changed(record, (LogEvent, {"line": line}), log_line=line)

    # -- reads -----------------------------------------------------------------------------

    def get(self, execution_id: str) -> ExecutionRecord:
        with self._lock:
            record = self._records.get(execution_id)
        if record is None:
            raise NotFoundError(
                f"no execution {execution_id!r} on this host", code="execution_not_found"
            )
        return record

    def view(self, execution_id: str, include_logs: bool = False) -> ExecutionView:
        with self._lock:
            record = self.get(execution_id)
            return record.view(self._position(record), include_logs)

    def view_json(self, execution_id: str, include_logs: bool = False) -> bytes:
        """The view as JSON (without logs: kept, see `ExecutionRecord.view_json`)."""
        with self._lock:
            record = self.get(execution_id)
            position = self._position(record)
            if include_logs:
                return record.view(position, include_logs).model_dump_json().encode()
            return record.view_json(position)

    def idempotent(self, key: str) -> tuple[str, str] | None:
        with self._lock:
            return self._idempotency.get(key)

    def page(
        self,
        *,
        kind: Collection[ExecutionKind] | None = None,
        status: Collection[ExecutionStatus] | None = None,
        device_id: Collection[str] | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> ExecutionPage:
        """Newest first; each filter keeps the records with any of its values."""
        with self._lock:
            matches = [
                r
                for r in reversed(self._records.values())  # newest first
                if (not kind or r.kind in kind)
                and (not status or r.status in status)
                and (not device_id or r.device_id in device_id)
            ]
            items = [r.view(self._position(r), False) for r in matches[offset : offset + limit]]
        return ExecutionPage(items=items, total=len(matches), offset=offset, limit=limit)

    def events_after(self, execution_id: str, seq: int) -> tuple[list[StoredEvent], bool, int]:
        """Events past `seq`, whether the log is complete, and the version they were read at."""
        with self._lock:
            record = self.get(execution_id)
            return record.events.after(seq), record.events.finished, record.version

    def active(self) -> list[ExecutionRecord]:
        with self._lock:
            return [r for r in self._records.values() if not r.status.terminal]

    async def wait_change(self, execution_id: str, version: int, seconds: float) -> None:
        """Return once the record's version moves past `version`, or after `seconds`."""
        with self._lock:
            if self.get(execution_id).version != version:
                return
            event = self._waiters.setdefault(execution_id, asyncio.Event())
        # asyncio.timeout, not wait_for: on 3.11 wait_for can lose a cancellation.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await event.wait()

    # -- internals -------------------------------------------------------------------------

    def _position(self, record: ExecutionRecord) -> int | None:
        if record.status is not ExecutionStatus.queued or self._queue_position is None:
            return None
        return self._queue_position(record.device_id, record.execution_id)

    def _changed(
        self,
        record: ExecutionRecord,
        event: EventDraft | None,
        *,
        created: bool = False,
        log_line: str | None = None,
    ) -> None:
        events = [] if event is None else record.events.append(event, utcnow())
        change = Change(created=created, events=events, log_line=log_line)
        for listener in self._listeners:
            listener.changed(record, change)
        record.version += 1
        if self._calls is not None and record.execution_id in self._waiters:
            self._calls.post(self._wake, record.execution_id)

    def _wake(self, execution_id: str) -> None:
        event = self._waiters.pop(execution_id, None)
        if event is not None:
            event.set()

    def _evict(self, keep: str | None = None) -> None:
        """Drop the oldest finished records past the age or count limit, never `keep`."""
        cutoff = self.clock() - self._max_age
        evicted: list[str] = []
        while self._finished:
            oldest_id = next(iter(self._finished))
            if oldest_id == keep:  # just finished: its outcome must reach a client first
                break
            oldest = self._records[oldest_id]
            too_many = len(self._records) > self._max_count
            too_old = oldest.finished_at is not None and oldest.finished_at < cutoff
            if not (too_many or too_old):
                break
            del self._finished[oldest_id]
            del self._records[oldest_id]
            if oldest.idempotency is not None:
                self._idempotency.pop(oldest.idempotency[0], None)
            evicted.append(oldest_id)
        if evicted:
            for listener in self._listeners:
                listener.evicted(evicted)
