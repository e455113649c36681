"""Kind-agnostic execution routes: status (with long-poll), listing, cancel."""

import time
from typing import Annotated

from fastapi import APIRouter, Query, Response

from host_service.deps import HostStateDep
from host_service.errors import NotFoundError
from host_service.routes.responses import errors
from host_service.state import HostState
from schemas import ExecutionPage, ExecutionView
from service_common.kind_path import KindPath, execution_kind
from service_common.queries import KindsQuery, LogsQuery, StatusesQuery, WaitQuery
from service_common.stopping import Stopping, StoppingDep

router = APIRouter(tags=["executions"])


def view_response(state: HostState, execution_id: str, include_logs: bool) -> Response:
    # Serialised once by the model itself: FastAPI would validate the view again first.
    content = state.registry.view_json(execution_id, include_logs)
    return Response(content=content, media_type="application/json")


async def wait_for_status(
    state: HostState, execution_id: str, wait: float, stopping: Stopping
) -> None:
    """Return once the status differs from the one seen at the call, after `wait` s, or at
    once when the host begins to stop (the answer is then the current view)."""
    record = state.registry.get(execution_id)
    initial = record.status
    give_up = time.monotonic() + wait
    while record.status is initial and not initial.terminal:
        remaining = give_up - time.monotonic()
        if remaining <= 0:
            return
        waited, _ = await stopping.race(
            state.registry.wait_change(execution_id, record.version, remaining)
        )
        if not waited:
            return
        record = state.registry.get(execution_id)


@router.get(
    "/{kind}/execution/{execution_id}/status",
    response_model=ExecutionView,
    responses=errors(404, 422),
    operation_id="get_execution_status",
)
async def get_status(
    kind: KindPath,
    execution_id: str,
    state: HostStateDep,
    stopping: StoppingDep,
    wait: WaitQuery = 0,
    include_logs: LogsQuery = False,
) -> Response:
    """The status of one execution of the given kind; `wait` long-polls for a change."""
    if state.registry.get(execution_id).kind is not execution_kind(kind):
        raise NotFoundError(
            f"no {kind.value} execution {execution_id!r}", code="execution_not_found"
        )
    if wait:
        await wait_for_status(state, execution_id, wait, stopping)
    return view_response(state, execution_id, include_logs)


@router.get(
    "/executions",
    response_model=ExecutionPage,
    responses=errors(422),
    operation_id="list_executions",
)
async def list_executions(
    state: HostStateDep,
    kind: KindsQuery = None,
    status: StatusesQuery = None,
    device_id: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ExecutionPage:
    """Executions of this host, newest first, filtered by kind, status and device."""
    return state.registry.page(
        kind=kind,
        status=status,
        device_id=None if device_id is None else [device_id],
        offset=offset,
        limit=limit,
    )


@router.get(
    "/executions/{execution_id}",
    response_model=ExecutionView,
    responses=errors(404, 422),
    operation_id="get_execution",
)
async def get_execution(
    execution_id: str,
    state: HostStateDep,
    stopping: StoppingDep,
    wait: WaitQuery = 0,
    include_logs: LogsQuery = False,
) -> Response:
    """One execution of any kind; `wait` long-polls for a status change."""
    if wait:
        await wait_for_status(state, execution_id, wait, stopping)
    return view_response(state, execution_id, include_logs)


@router.post(
    "/executions/{execution_id}/cancel",
    response_model=ExecutionView,
    responses=errors(404, 409, 422),
    operation_id="cancel_execution",
)
async def cancel_execution(execution_id: str, state: HostStateDep) -> ExecutionView:
    """Cancel an execution: a queued one leaves its queue, a running one stops at its next check."""
    state.orchestrator.cancel(execution_id)
    return state.registry.view(execution_id)
