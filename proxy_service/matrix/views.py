"""A matrix run's parent as clients follow it: its view, long-poll and cancel.

Every child is an ordinary lab execution: the parent's view shows each one as its own view
does (its host's while dispatched, the store's once ended), and sums them (`sums.py`).
"""

import asyncio
import dataclasses
import time

from proxy_service import lab_views
from proxy_service.errors import ProxyError
from proxy_service.lab.matrix_rows import MatrixRow
from proxy_service.lab.queue_rows import CLAIMED, DONE, QUEUED, LabRequestRow
from proxy_service.lab_errors import LabConflictError, NotInHistoryError
from proxy_service.matrix.sums import parent_status, summed
from proxy_service.signals import LabSignals
from proxy_service.state import ProxyState
from schemas import ExecutionView


async def parent_row(state: ProxyState, parent_id: str) -> MatrixRow:
    row = await state.lab.matrix(parent_id)
    if row is None:
        raise NotInHistoryError(
            f"no lab execution {parent_id!r}; name the host (host_name) for a host's execution",
            details={"execution_id": parent_id},
        )
    return row


async def _child_view(state: ProxyState, row: LabRequestRow) -> ExecutionView:
    if row.state in (QUEUED, CLAIMED):  # its queue position is in its own view
        content = lab_views.own_view(row, None)
    else:
        try:
            content = await lab_views.current(state, row, False, 0)
        except ProxyError:  # its host is away: what the store knows of it
            content = lab_views.own_view(dataclasses.replace(row, status="running"), None)
    return ExecutionView.model_validate_json(content)


async def child_views(state: ProxyState, parent: MatrixRow) -> list[ExecutionView]:
    """Each child's view, as its own lab id answers it (without logs), in the parent's order."""
    return list(await asyncio.gather(*(_child_view(state, c.request) for c in parent.children)))


async def summed_view(state: ProxyState, parent: MatrixRow) -> ExecutionView:
    return summed(parent, await child_views(state, parent))


async def changed(signals: LabSignals, parent: MatrixRow, seconds: float) -> None:
    """Return when one of the parent's unfinished children changes here, or after `seconds`
    (at most the signals' poll interval, so changes made by other replicas are seen too)."""
    waits = [
        asyncio.ensure_future(signals.wait(c.request.id, seconds))
        for c in parent.children
        if c.request.state != DONE
    ]
    if not waits:
        return
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()


async def view(state: ProxyState, parent: MatrixRow, wait: float) -> bytes:
    """The parent's view; `wait` long-polls until its status differs from the first look."""
    first = parent_status(parent)
    give_up = time.monotonic() + wait
    while not first.terminal and parent_status(parent) is first:
        remaining = give_up - time.monotonic()
        if remaining <= 0:
            break
        await changed(state.lab_tier.signals, parent, remaining)
        parent = await parent_row(state, parent.id)
    return (await summed_view(state, parent)).model_dump_json().encode()


async def cancel(state: ProxyState, parent: MatrixRow) -> bytes:
    """Cancel every child that has not ended; 409 once the parent has ended."""
    status = parent_status(parent)
    if status.terminal:
        raise LabConflictError(
            f"lab execution {parent.id} has ended ({status.value})",
            details={"execution_id": parent.id, "status": status.value},
        )
    await state.lab.request_matrix_cancel(parent.id)
    outcomes = await asyncio.gather(
        *(
            lab_views.cancel(state, c.request.id)
            for c in parent.children
            if c.request.state != DONE
        ),
        return_exceptions=True,
    )
    for outcome in outcomes:  # a child that ended meanwhile is a 409: nothing to cancel
        if isinstance(outcome, BaseException) and not isinstance(outcome, LabConflictError):
            raise outcome  # a host that did not answer: asking again cancels the rest
    return await view(state, await parent_row(state, parent.id), 0)
