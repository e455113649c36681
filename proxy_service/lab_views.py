"""Lab executions as clients follow them: status, long-poll, cancel, events and JUnit by lab id.

Queued (or being handed to a host), a lab execution's view is the lab's own, with its
`queue_position`; dispatched, it is its host's view under the lab id; ended, the final view
kept in the store (also when that host is offline).
"""

import contextlib
import dataclasses
import time
from datetime import UTC, datetime

from fastapi.responses import StreamingResponse

from proxy_service.errors import HostAnsweredError, ProxyError
from proxy_service.lab.attempt_ends import under_lab_id
from proxy_service.lab.queue_rows import DONE, RUNNING, LabRequestRow
from proxy_service.lab_errors import LabConflictError, NotInHistoryError
from proxy_service.relay import relay_stream
from proxy_service.state import ProxyState
from schemas import ExecutionError, ExecutionKind, ExecutionStatus, ExecutionView


async def lab_row(state: ProxyState, request_id: str) -> LabRequestRow:
    row = await state.lab.lab_request(request_id)
    if row is None:
        raise NotInHistoryError(
            f"no lab execution {request_id!r}; name the host (host_name) for a host's execution",
            details={"execution_id": request_id},
        )
    return row


def _time(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def own_model(row: LabRequestRow, position: int | None) -> ExecutionView:
    """The lab's view of a request no host runs: waiting, or ended before it ran."""
    status = ExecutionStatus(row.status)
    waiting = "waiting for a free device matching " + str(row.selector)
    error = None if row.error is None else ExecutionError.model_validate(row.error)
    message = error.message if error is not None else (waiting if not status.terminal else status)
    return ExecutionView(
        execution_id=row.id,
        kind=ExecutionKind(row.kind),
        host_name=row.host_name or "",
        device_id=row.device_id or "",
        status=status,
        progress=0,
        message=str(message),
        created_at=datetime.fromtimestamp(row.created_at, UTC),
        finished_at=_time(row.finished_at),
        queue_position=position,
        error=error,
    )


def own_view(row: LabRequestRow, position: int | None) -> bytes:
    return own_model(row, position).model_dump_json().encode()


async def current(state: ProxyState, row: LabRequestRow, include_logs: bool, wait: float) -> bytes:
    if row.state == DONE:
        return row.view if row.view is not None and not include_logs else await _ended(state, row)
    if row.state == RUNNING and row.host_execution_id is not None and row.host_name is not None:
        entry = state.registry.route(row.host_name)
        path = f"/executions/{row.host_execution_id}"
        content = await state.client.execution(entry, path, include_logs, wait)
        view = ExecutionView.model_validate_json(content)
        if not row.retries_after(view.status.value):
            return under_lab_id(view, row.id)
        # Ended in error, about to go back to the queue: not an end to the client.
        row = dataclasses.replace(row, status="queued", host_name=None, device_id=None)
    return own_view(row, await state.lab.request_position(row))


async def _ended(state: ProxyState, row: LabRequestRow) -> bytes:
    """An ended request with its logs (from its host), or the lab's own view of its end."""
    if row.host_execution_id is None or row.host_name is None or row.view is None:
        return own_view(row, None)
    try:
        entry = state.registry.route(row.host_name)
        content = await state.client.execution(entry, f"/executions/{row.host_execution_id}", True)
    except ProxyError:
        return row.view  # the host is away: the view kept, without logs
    return under_lab_id(ExecutionView.model_validate_json(content), row.id)


async def view(state: ProxyState, request_id: str, include_logs: bool, wait: float) -> bytes:
    """The current view; `wait` long-polls until its status differs from the first look."""
    row = await lab_row(state, request_id)
    give_up = time.monotonic() + wait
    while row.state != DONE and row.state != RUNNING:
        remaining = give_up - time.monotonic()
        if remaining <= 0:
            break
        await state.lab_tier.signals.wait(request_id, remaining)
        row = await lab_row(state, request_id)
        if row.state == RUNNING:
            return await current(state, row, include_logs, 0)
    return await current(state, row, include_logs, max(0.0, give_up - time.monotonic()))


async def cancel(state: ProxyState, request_id: str) -> bytes:
    """Queued: leaves the queue at once; dispatched: cancelled on its host; ended: 409."""
    row = await lab_row(state, request_id)
    if row.state == DONE:
        raise LabConflictError(
            f"lab execution {request_id} has ended ({row.status})",
            details={"execution_id": request_id, "status": row.status},
        )
    if await state.lab.cancel_queued(request_id):
        state.lab_tier.signals.changed(request_id)
        return own_view(await lab_row(state, request_id), None)
    await state.lab.request_cancel(request_id)  # seen by the dispatcher once the host answers
    row = await lab_row(state, request_id)
    if row.state == RUNNING:
        with contextlib.suppress(HostAnsweredError):  # ended meanwhile: the view says how
            await state.lab_tier.dispatcher.attempts.cancel_on_host(row)
    return await current(state, row, False, 0)


async def dispatched(state: ProxyState, request_id: str, wait: float) -> LabRequestRow:
    """The request once a host runs it (waiting up to `wait`); 409 if it never ran."""
    row = await lab_row(state, request_id)
    give_up = time.monotonic() + wait
    while row.host_execution_id is None and row.state != DONE:
        remaining = give_up - time.monotonic()
        if remaining <= 0:
            break
        await state.lab_tier.signals.wait(request_id, remaining)
        row = await lab_row(state, request_id)
    if row.host_execution_id is None or row.host_name is None:
        raise LabConflictError(
            f"lab execution {request_id} has not run on a device ({row.status})",
            details={"execution_id": request_id, "status": row.status},
        )
    return row


async def events(
    state: ProxyState, request_id: str, params: dict[str, object], headers: dict[str, str]
) -> StreamingResponse:
    """The host execution's event stream, once the request is dispatched (waits up to 60 s)."""
    row = await dispatched(state, request_id, 60.0)
    assert row.host_name is not None
    entry = state.registry.route(row.host_name)
    path = f"/executions/{row.host_execution_id}/events"
    return await relay_stream(state.client, entry, path, params=params, headers=headers)
