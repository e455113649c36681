"""The event log of an execution, relayed from its host as it comes: a stream, or JSON."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import StreamingResponse

from proxy_service import lab_executions
from proxy_service.deps import IdPath, LabHostNameQuery, ProxyStateDep
from proxy_service.relay import relay_stream
from proxy_service.routes.responses import FORWARDED, errors
from schemas import ExecutionEventPage
from schemas.events import EXECUTION_EVENT_NAMES
from service_common.event_stream import EVENT_STREAM, JSON, event_stream_content, wants_json
from service_common.queries import WaitQuery

router = APIRouter(tags=["executions"])


@router.get(
    "/executions/{execution_id}/events",
    response_class=StreamingResponse,
    # The JSON page's model puts every event type into the document, for generated clients.
    response_model=ExecutionEventPage,
    responses={
        200: {
            "description": "Server-sent events (`id` = seq, `event` = type, `data` = the event "
            "as JSON), or a JSON page with `Accept: application/json`.",
            "content": event_stream_content(EXECUTION_EVENT_NAMES),
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
) -> Response:
    """Server-sent events of one execution on `host_name` or lab (resumable), or JSON pages."""
    headers = {"Accept": accept or EVENT_STREAM}
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    if host_name is None:
        return await lab_executions.events(state, execution_id, after, wait, headers)
    target = state.registry.route(host_name)
    path = f"/executions/{execution_id}/events"
    if wants_json(accept):  # a page: one bounded answer, not a stream
        params = {"after": after or None, "wait": wait or None}
        page = await state.client.long_poll(target, path, params, wait, headers=headers)
        return Response(page.content, status_code=page.status_code, media_type=JSON)
    params = {"after": after or None}
    return await relay_stream(
        state.client,
        target,
        path,
        params=params,
        headers=headers,
    )
