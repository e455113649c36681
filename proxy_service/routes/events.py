"""The event log of an execution, relayed from its host as it comes: a stream, or JSON."""

from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse

from proxy_service import lab_views
from proxy_service.deps import IdPath, LabHostNameQuery, ProxyStateDep
from proxy_service.relay import relay_stream
from proxy_service.routes.responses import FORWARDED, errors
from schemas import ExecutionEventPage
from service_common.queries import WaitQuery

router = APIRouter(tags=["executions"])
EVENT_STREAM = "text/event-stream"


@router.get(
    "/executions/{execution_id}/events",
    response_class=StreamingResponse,
    # The JSON page's model puts every event type into the document, for generated clients.
    response_model=ExecutionEventPage,
    responses={
        200: {
            "description": "Server-sent events (`id` = seq, `event` = type, `data` = the event "
            "as JSON), or a JSON page with `Accept: application/json`.",
            "content": {EVENT_STREAM: {"schema": {"type": "string"}}},
        },
        204: {"description": "Nothing follows: the execution ended before `after`."},
        **errors(*FORWARDED),
    },
    operation_id="stream_execution_events",
)
async def stream_events(
    execution_id: IdPath,
    state: ProxyStateDep,
    host_name: LabHostNameQuery = None,
    after: Annotated[int, Query(ge=0, description="Only events with a larger seq.")] = 0,
    wait: WaitQuery = 0,
    accept: Annotated[str | None, Header(max_length=200)] = None,
    last_event_id: Annotated[
        str | None,
        Header(max_length=200, description="Resume after this event id (SSE reconnect)."),
    ] = None,
) -> StreamingResponse:
    """Server-sent events of one execution on `host_name` or lab (resumable), or JSON pages."""
    headers = {"Accept": accept or EVENT_STREAM}
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    params: dict[str, object] = {"after": after or None, "wait": wait or None}
    if host_name is None:
        return await lab_views.events(state, execution_id, params, headers)
    target = state.registry.route(host_name)
    return await relay_stream(
        state.client,
        target,
        f"/executions/{execution_id}/events",
        params=params,
        headers=headers,
    )
