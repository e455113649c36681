"""Execution routes forwarded to one host, and the listing across all hosts."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from proxy_service import lab_views
from proxy_service.deps import IdPath, LabHostNameQuery, OptionalHostNameQuery, ProxyStateDep
from proxy_service.fanout import fan_out
from proxy_service.routes.responses import FORWARDED, errors
from schemas import (
    ExecutionKind,
    ExecutionListing,
    ExecutionStatus,
    ExecutionView,
    HostExecutions,
)
from service_common.queries import LogsQuery, WaitQuery

router = APIRouter(tags=["executions"])

JSON = "application/json"


@router.get(
    "/{kind}/execution/{execution_id}/status",
    response_model=ExecutionView,
    responses=errors(*FORWARDED),
    operation_id="get_execution_status",
)
async def get_status(
    kind: ExecutionKind,
    execution_id: IdPath,
    state: ProxyStateDep,
    host_name: LabHostNameQuery = None,
    wait: WaitQuery = 0,
    include_logs: LogsQuery = False,
) -> Response:
    """The status of one execution of the given kind on `host_name`, or of a lab execution."""
    if host_name is None:
        return Response(
            await lab_views.view(state, execution_id, include_logs, wait), media_type=JSON
        )
    target = state.registry.route(host_name)
    path = f"/{kind.value}/execution/{execution_id}/status"
    content = await state.client.execution(target, path, include_logs, wait)
    return Response(content, media_type=JSON)


@router.get(
    "/executions",
    response_model=ExecutionListing,
    responses=errors(401, 404, 422),
    operation_id="list_executions",
)
async def list_executions(
    state: ProxyStateDep,
    host_name: OptionalHostNameQuery = None,
    kind: ExecutionKind | None = None,
    status: ExecutionStatus | None = None,
    device_id: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ExecutionListing:
    """Executions of every host (or of `host_name`); unreachable hosts are listed with errors."""
    params = {
        "kind": kind,
        "status": status,
        "device_id": device_id,
        "offset": offset,
        "limit": limit,
    }
    outcomes = await fan_out(
        state.registry, host_name, lambda entry: state.client.executions(entry, params)
    )
    return ExecutionListing(
        hosts=[
            HostExecutions(host_name=e.name, reachable=err is None, page=page, error=err)
            for e, page, err in outcomes
        ]
    )


@router.get(
    "/executions/{execution_id}",
    response_model=ExecutionView,
    responses=errors(*FORWARDED),
    operation_id="get_execution",
)
async def get_execution(
    execution_id: IdPath,
    state: ProxyStateDep,
    host_name: LabHostNameQuery = None,
    wait: WaitQuery = 0,
    include_logs: LogsQuery = False,
) -> Response:
    """One execution on `host_name` (or a lab execution); `wait` long-polls for a change."""
    if host_name is None:
        return Response(
            await lab_views.view(state, execution_id, include_logs, wait), media_type=JSON
        )
    target = state.registry.route(host_name)
    path = f"/executions/{execution_id}"
    content = await state.client.execution(target, path, include_logs, wait)
    return Response(content, media_type=JSON)


@router.post(
    "/executions/{execution_id}/cancel",
    response_model=ExecutionView,
    responses=errors(*FORWARDED, 409),
    operation_id="cancel_execution",
)
async def cancel_execution(
    execution_id: IdPath, state: ProxyStateDep, host_name: LabHostNameQuery = None
) -> Response:
    """Cancel an execution (on `host_name`, or a lab one): queued ones leave, running stop."""
    if host_name is None:
        return Response(await lab_views.cancel(state, execution_id), media_type=JSON)
    target = state.registry.route(host_name)
    return Response(await state.client.cancel(target, execution_id), media_type=JSON)
