"""A lab execution id names a lab request or a matrix run's parent: the routes' way to either.

The queue is asked first (the common case costs one read); an id it does not know may be
a matrix run's. Neither: 404.
"""

from collections.abc import Callable

from fastapi import Response
from fastapi.responses import StreamingResponse

from proxy_service import lab_views
from proxy_service.lab.queue_rows import LabRequestRow
from proxy_service.lab_errors import LabConflictError, NotInHistoryError
from proxy_service.matrix import events as matrix_events
from proxy_service.matrix import views as matrix_views
from proxy_service.matrix.junit import matrix_junit
from proxy_service.state import ProxyState
from schemas import ExecutionKind


async def view(state: ProxyState, execution_id: str, include_logs: bool, wait: float) -> bytes:
    """The current view (a matrix run's has no logs of its own: see its children's)."""
    try:
        return await lab_views.view(state, execution_id, include_logs, wait)
    except NotInHistoryError:
        parent = await matrix_views.parent_row(state, execution_id)
    return await matrix_views.view(state, parent, wait)


async def cancel(state: ProxyState, execution_id: str) -> bytes:
    try:
        return await lab_views.cancel(state, execution_id)
    except NotInHistoryError:
        parent = await matrix_views.parent_row(state, execution_id)
    return await matrix_views.cancel(state, parent)


async def dispatched(state: ProxyState, execution_id: str, wait: float) -> LabRequestRow:
    """The lab request once a host runs it; 409 for a matrix run (its children ran)."""
    try:
        return await lab_views.dispatched(state, execution_id, wait)
    except NotInHistoryError:
        parent = await matrix_views.parent_row(state, execution_id)
    raise LabConflictError(
        f"lab execution {execution_id} is a matrix run: it ran on no device itself; "
        "ask its children (`children` of its view)",
        details={
            "execution_id": execution_id,
            "children": [c.request.id for c in parent.children],
        },
    )


async def events(
    state: ProxyState, execution_id: str, after: int, wait: float, headers: dict[str, str]
) -> Response:
    """A lab request's host stream, relayed; or a matrix run's own events."""
    params: dict[str, object] = {"after": after or None, "wait": wait or None}
    try:
        stream: StreamingResponse = await lab_views.events(state, execution_id, params, headers)
        return stream
    except NotInHistoryError:
        parent = await matrix_views.parent_row(state, execution_id)
    return await matrix_events.events(state, parent, after, wait, headers)


async def matrix_report(
    state: ProxyState, execution_id: str, kind: ExecutionKind, link: Callable[[str, str], str]
) -> bytes | None:
    """A matrix run's JUnit report; None when the id is not a matrix run's."""
    parent = await state.lab.matrix(execution_id)
    if parent is None:
        return None
    views = await matrix_views.child_views(state, parent)
    return matrix_junit(parent, kind, views, link)
