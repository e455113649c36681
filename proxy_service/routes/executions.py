"""Execution routes forwarded to one host, and the listing across all hosts."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import StreamingResponse

from proxy_service import lab_executions
from proxy_service.deps import IdPath, LabHostNameQuery, OptionalHostNameQuery, ProxyStateDep
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
from service_common.kind_path import KindPath, execution_kind
from service_common.queries import KindsQuery, LogsQuery, StatusesQuery, WaitQuery

router = APIRouter(tags=["executions"])

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
)
async def get_status(
    kind: KindPath,
    execution_id: IdPath,
    state: ProxyStateDep,
    host_name: LabHostNameQuery = None,
    wait: WaitQuery = 0,
    include_logs: LogsQuery = False,
) -> Response:
    """The status of one execution of the given kind on `host_name`, or of a lab execution."""
    if host_name is None:
        return Response(
            await lab_executions.view(state, execution_id, include_logs, wait), media_type=JSON
        )
    target = state.registry.route(host_name)
    path = f"/{execution_kind(kind).value}/execution/{execution_id}/status"
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
            await lab_executions.view(state, execution_id, include_logs, wait), media_type=JSON
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
