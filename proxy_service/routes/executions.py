"""Execution routes forwarded to one host, and the listing across all hosts."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from proxy_service import lab_executions
from proxy_service.deps import (
    ExecutionIdPath,
    IdPath,
    KindExecutionIdPath,
    LabHostNameQuery,
    LabStatusQuery,
    OptionalHostNameQuery,
    ProxyStateDep,
    proxy_state,
)
from proxy_service.fanout import fan_out
from proxy_service.relay import relay_stream
from proxy_service.routes.responses import FORWARDED, errors
from schemas import (
    ExecutionListing,
    ExecutionView,
    HostExecutions,
)
from schemas.artifacts import ARTIFACT_NAME_PATTERN
from service_common.event_stream import ARTIFACT_FILE
from service_common.kind_path import execution_kind
from service_common.queries import KindsQuery, StatusesQuery
from service_common.route_params import documented, parse

router = APIRouter(tags=["executions"])


async def status_response(request: Request, execution_id: str, host_path: str) -> Response:
    """A status read: forwarded to `host_name`, or the lab execution's view."""
    state = proxy_state(request)
    query = parse(LabStatusQuery, request.query_params, "query")
    if query.host_name is None:
        view = await lab_executions.view(state, execution_id, query.include_logs, query.wait)
        return Response(view, media_type=JSON)
    target = state.registry.route(query.host_name)
    content = await state.client.execution(target, host_path, query.include_logs, query.wait)
    return Response(content, media_type=JSON)


JSON = "application/json"
ArtifactNamePath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=128,
        pattern=ARTIFACT_NAME_PATTERN,
        description="An artifact's `name`, as the execution's view lists it.",
    ),
]


@router.get(
    "/{kind}/execution/{execution_id}/status",
    response_model=ExecutionView,
    responses=errors(*FORWARDED),
    operation_id="get_execution_status",
    openapi_extra=documented((KindExecutionIdPath, "path"), (LabStatusQuery, "query")),
)
async def get_status(request: Request) -> Response:
    """The status of one execution of the given kind on `host_name`, or of a lab execution."""
    # A hot route: it reads its parameters and state itself (route_params.py, deps.py).
    path = parse(KindExecutionIdPath, request.path_params, "path")
    host_path = f"/{execution_kind(path.kind).value}/execution/{path.execution_id}/status"
    return await status_response(request, path.execution_id, host_path)


@router.get(
    "/executions",
    response_model=ExecutionListing,
    responses=errors(401, 404, 422),
    operation_id="list_executions",
)
async def list_executions(
    state: ProxyStateDep,
    host_name: OptionalHostNameQuery = None,
    kind: KindsQuery = None,
    status: StatusesQuery = None,
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
        state.registry,
        host_name,
        lambda entry: state.client.executions(entry, params),
        state.settings.fanout_timeout_s,
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
    openapi_extra=documented((ExecutionIdPath, "path"), (LabStatusQuery, "query")),
)
async def get_execution(request: Request) -> Response:
    """One execution on `host_name` (or a lab execution); `wait` long-polls for a change."""
    path = parse(ExecutionIdPath, request.path_params, "path")  # a hot route, as above
    return await status_response(request, path.execution_id, f"/executions/{path.execution_id}")


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
        return Response(await lab_executions.cancel(state, execution_id), media_type=JSON)
    target = state.registry.route(host_name)
    return Response(await state.client.cancel(target, execution_id), media_type=JSON)


@router.get(
    "/executions/{execution_id}/artifacts/{name}",
    response_class=StreamingResponse,
    responses={
        200: ARTIFACT_FILE,
        **errors(*FORWARDED, 409),
    },
    operation_id="get_artifact",
)
async def get_artifact(
    execution_id: IdPath,
    name: ArtifactNamePath,
    state: ProxyStateDep,
    host_name: LabHostNameQuery = None,
) -> StreamingResponse:
    """One artifact (a step's screenshot) of an execution on `host_name` or a lab one, streamed."""
    if host_name is None:
        row = await lab_executions.dispatched(state, execution_id, 0)
        assert row.host_name is not None
        execution_id, host_name = str(row.host_execution_id), row.host_name
    target = state.registry.route(host_name)
    return await relay_stream(state.client, target, f"/executions/{execution_id}/artifacts/{name}")
