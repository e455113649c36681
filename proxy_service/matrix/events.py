"""A matrix run's parent's event log: its own status changes, as a stream or JSON pages.

The log is made from the store each time it is read, the same on every replica, with a
fixed `seq` per state, so `Last-Event-ID` resumes anywhere: 1 `queued` (at its start), 2
`running` (once a child was handed to a host), 3 its end (with the summed result or error).
A parent all of whose children ended before any ran has no `running` event. The children's
own events (steps, logs) are in their streams, by their lab ids (`children`).
"""

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from fastapi import Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from proxy_service.errors import RequestInvalidError
from proxy_service.lab.matrix_rows import MatrixRow
from proxy_service.matrix.sums import dispatched, parent_status
from proxy_service.matrix.views import changed, parent_row, summed_view
from proxy_service.relay import PROXY_STOPPING
from proxy_service.state import ProxyState
from schemas import ExecutionEventPage, ExecutionStatus, StatusEvent
from schemas.events import STREAM_END
from service_common.event_stream import JSON, wants_json

QUEUED_SEQ, RUNNING_SEQ, END_SEQ = 1, 2, 3
PING_S = 15  # keeps idle connections through intermediaries that close quiet ones
RECHECK_S = 30.0  # an idle stream looks at the store at least this often


def _at(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


async def events_after(state: ProxyState, parent: MatrixRow, after: int) -> list[StatusEvent]:
    """The parent's events past `after` (the summed view is made only when one needs it)."""
    status = parent_status(parent)
    found = []
    if after < QUEUED_SEQ:
        found.append(
            StatusEvent(
                seq=QUEUED_SEQ,
                execution_id=parent.id,
                at=_at(parent.created_at),
                status=ExecutionStatus.queued,
                message=f"queued on {len(parent.children)} devices",
            )
        )
    wants_running = after < RUNNING_SEQ and dispatched(parent)
    wants_end = after < END_SEQ and status.terminal
    if not (wants_running or wants_end):
        return found
    view = await summed_view(state, parent)
    if wants_running:
        claims = [c.request.claimed_at or parent.created_at for c in parent.children]
        started = view.started_at or _at(min(claims))
        found.append(
            StatusEvent(
                seq=RUNNING_SEQ,
                execution_id=parent.id,
                at=started,
                status=ExecutionStatus.running,
                message=view.message,
            )
        )
    if wants_end:
        found.append(
            StatusEvent(
                seq=END_SEQ,
                execution_id=parent.id,
                at=view.finished_at or _at(parent.created_at),
                status=view.status,
                message=view.message,
                result=view.result,
                error=view.error,
            )
        )
    return found


async def _follow(
    state: ProxyState, parent: MatrixRow, after: int
) -> AsyncIterator[ServerSentEvent]:
    seq = after
    stopping = state.client.stopping
    while True:
        for event in await events_after(state, parent, seq):
            yield ServerSentEvent(data=event.model_dump_json(), id=str(event.seq), event=event.type)
            seq = event.seq
        if parent_status(parent).terminal:
            return
        waited, _ = await stopping.race(changed(state.lab_tier.signals, parent, RECHECK_S))
        if not waited:
            yield ServerSentEvent(data=PROXY_STOPPING, event=STREAM_END)
            return
        parent = await parent_row(state, parent.id)


async def _page(state: ProxyState, parent: MatrixRow, after: int, wait: float) -> bytes:
    give_up = time.monotonic() + wait
    while True:
        events = await events_after(state, parent, after)
        finished = parent_status(parent).terminal
        remaining = give_up - time.monotonic()
        if events or finished or remaining <= 0 or state.client.stopping.begun:
            break
        await state.client.stopping.race(changed(state.lab_tier.signals, parent, remaining))
        parent = await parent_row(state, parent.id)
    page = ExecutionEventPage(
        execution_id=parent.id,
        events=list(events),
        last_seq=events[-1].seq if events else after,
        finished=finished,
    )
    return page.model_dump_json().encode()


def _resume_after(after: int, headers: dict[str, str]) -> int:
    """Where to resume: after `Last-Event-ID` when a reconnecting client sends it."""
    given = headers.get("Last-Event-ID")
    if given is None:
        return after
    if not given.isdigit():
        raise RequestInvalidError(
            f"Last-Event-ID must be an event's seq, not {given!r}",
            details=[{"loc": ["header", "last-event-id"], "msg": "not a seq"}],
        )
    return int(given)


async def events(
    state: ProxyState, parent: MatrixRow, after: int, wait: float, headers: dict[str, str]
) -> Response:
    """The parent's events past `after`: a JSON page with `Accept: application/json`
    (long-polled up to `wait`), or a stream that ends after the end event (204 when the
    parent ended before `after`), as a host answers them."""
    after = _resume_after(after, headers)
    if wants_json(headers.get("Accept")):
        return Response(await _page(state, parent, after, wait), media_type=JSON)
    if parent_status(parent).terminal and after >= END_SEQ:
        return Response(status_code=204)  # tells an EventSource that reconnects to stop
    return EventSourceResponse(_follow(state, parent, after), ping=PING_S)
