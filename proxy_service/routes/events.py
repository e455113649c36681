"""The event stream of an execution, relayed from its host as it comes."""

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from proxy_service.deps import HostNameQuery, IdPath, ProxyStateDep
from proxy_service.relay import relay_stream
from proxy_service.routes.responses import FORWARDED, errors

router = APIRouter(tags=["executions"])


@router.get(
    "/executions/{execution_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **errors(*FORWARDED)},
    operation_id="stream_execution_events",
)
async def stream_events(
    execution_id: IdPath,
    state: ProxyStateDep,
    host_name: HostNameQuery,
    last_event_id: Annotated[
        str | None,
        Header(max_length=200, description="Resume after this event id (SSE reconnect)."),
    ] = None,
) -> StreamingResponse:
    """Server-sent events of one execution on `host_name`, resumable with `Last-Event-ID`."""
    target = state.registry.route(host_name)
    headers = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    return await relay_stream(
        state.client, target, f"/executions/{execution_id}/events", headers=headers
    )
