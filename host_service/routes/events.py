"""The event log of an execution: a server-sent event stream, or JSON pages."""

import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from host_service.deps import HostStateDep
from host_service.engine.registry import ExecutionRegistry
from host_service.errors import NotFoundError
from host_service.routes.responses import errors
from schemas.events import EXECUTION_EVENT, EXECUTION_EVENT_NAMES, STREAM_END, ExecutionEventPage
from service_common.event_stream import event_stream_content, wants_json
from service_common.stopping import Stopping, StoppingDep

router = APIRouter(tags=["executions"])

EventsWaitQuery = Annotated[
    float,
    Query(
        ge=0,
        le=60,
        description="JSON long-poll: answer when an event past `after` exists, or after this "
        "many seconds.",
    ),
]
# An idle stream is re-checked this often even without a wake-up, as a safety net.
_RECHECK_S = 30.0
_HOST_STOPPING = json.dumps(
    {"reason": "host_stopping", "message": "the host is stopping; reconnect to resume"}
)


async def follow(
    registry: ExecutionRegistry, execution_id: str, after: int, stopping: Stopping
) -> AsyncIterator[ServerSentEvent]:
    """Replay the events past `after`, then follow live; end after the terminal event, or
    with a `stream_end` event when the host begins to stop."""
    seq = after
    while True:
        try:
            events, finished, version = registry.events_after(execution_id, seq)
        except NotFoundError:  # evicted by retention while a client followed it
            return
        for event in events:
            yield ServerSentEvent(data=event.json.decode(), id=str(event.seq), event=event.type)
            seq = event.seq
        if finished:
            return
        waited, _ = await stopping.race(registry.wait_change(execution_id, version, _RECHECK_S))
        if not waited:
            yield ServerSentEvent(data=_HOST_STOPPING, event=STREAM_END)
            return


async def _page(
    registry: ExecutionRegistry, execution_id: str, after: int, wait: float, stopping: Stopping
) -> ExecutionEventPage:
    give_up = time.monotonic() + wait
    while True:
        events, finished, version = registry.events_after(execution_id, after)
        remaining = give_up - time.monotonic()
        if events or finished or remaining <= 0 or stopping.begun:
            break
        await stopping.race(registry.wait_change(execution_id, version, remaining))
    return ExecutionEventPage(
        execution_id=execution_id,
        events=[EXECUTION_EVENT.validate_json(event.json) for event in events],
        last_seq=events[-1].seq if events else after,
        finished=finished,
    )


@router.get(
    "/executions/{execution_id}/events",
    response_model=ExecutionEventPage,
    responses={
        **errors(404, 422),
        200: {
            "description": "A stream of server-sent events (`id` = seq, `event` = type), "
            "or a JSON page with `Accept: application/json`.",
            "content": event_stream_content(EXECUTION_EVENT_NAMES),
        },
        204: {"description": "Nothing follows: the execution ended before `after`."},
    },
    operation_id="get_execution_events",
)
async def execution_events(
    execution_id: str,
    request: Request,
    state: HostStateDep,
    stopping: StoppingDep,
    after: Annotated[int, Query(ge=0, description="Only events with a larger seq.")] = 0,
    wait: EventsWaitQuery = 0,
    last_event_id: Annotated[
        int | None, Header(ge=0, description="Resume a stream after this seq (SSE clients).")
    ] = None,
) -> Response:
    """Events of one execution as server-sent events, or JSON with Accept: application/json."""
    start = after if last_event_id is None else last_event_id
    registry = state.registry
    _, finished, _ = registry.events_after(execution_id, start)  # 404 for an unknown id
    if wants_json(request.headers.get("accept")):
        page = await _page(registry, execution_id, start, wait, stopping)
        return Response(page.model_dump_json(), media_type="application/json")
    if finished and not registry.events_after(execution_id, start)[0]:
        # 204 tells an EventSource that reconnects after the end to stop for good.
        return Response(status_code=204)
    return EventSourceResponse(
        follow(registry, execution_id, start, stopping), ping=state.settings.events_ping_s
    )
