"""Kind-agnostic execution routes: status (with long-poll), listing, cancel."""

import time
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from host_service.deps import HostStateDep, host_state
from host_service.errors import NotFoundError
from host_service.routes.responses import errors
from host_service.state import HostState
from schemas import ExecutionPage, ExecutionView
from service_common.kind_path import ExecutionPath, KindExecutionPath, execution_kind
from service_common.queries import KindsQuery, StatusesQuery, StatusQuery
from service_common.route_params import documented, parse
from service_common.stopping import Stopping, stopping_of

router = APIRouter(tags=["executions"])


async def status_response(
    request: Request, state: HostState, execution_id: str, query: StatusQuery
) -> Response:
    if query.wait:
        await wait_for_status(state, execution_id, query.wait, stopping_of(request.app))
    # Serialised by the registry: FastAPI would validate the view again first.
    content = state.registry.view_json(execution_id, query.include_logs)
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
    openapi_extra=documented((KindExecutionPath, "path"), (StatusQuery, "query")),
)
async def get_status(request: Request) -> Response:
    """The status of one execution of the given kind; `wait` long-polls for a change."""
    # A hot route: it reads its parameters and state itself (route_params.py, deps.py).
    path = parse(KindExecutionPath, request.path_params, "path")
    query = parse(StatusQuery, request.query_params, "query")
    state = host_state(request)
    if state.registry.get(path.execution_id).kind is not execution_kind(path.kind):
        raise NotFoundError(
            f"no {path.kind.value} execution {path.execution_id!r}", code="execution_not_found"
        )
    return await status_response(request, state, path.execution_id, query)


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
    openapi_extra=documented((ExecutionPath, "path"), (StatusQuery, "query")),
)
async def get_execution(request: Request) -> Response:
    """One execution of any kind; `wait` long-polls for a status change."""
    path = parse(ExecutionPath, request.path_params, "path")  # a hot route, as above
    query = parse(StatusQuery, request.query_params, "query")
    return await status_response(request, host_state(request), path.execution_id, query)


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
