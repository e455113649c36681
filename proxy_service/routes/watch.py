"""The lab watch: every host and device, as one JSON snapshot or a live event stream."""

from collections.abc import AsyncIterator
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from proxy_service.routes.responses import errors
from proxy_service.watch import LabWatch
from schemas.watch import LabSnapshot
from service_common.event_stream import EVENT_STREAM, event_stream_content

router = APIRouter(tags=["devices"])
PING_S = 15  # keeps idle connections through intermediaries that close quiet ones


async def get_watch(request: Request) -> LabWatch:
    return cast(LabWatch, request.state.watch)


WatchDep = Annotated[LabWatch, Depends(get_watch)]


async def _events(watch: LabWatch) -> AsyncIterator[ServerSentEvent]:
    async with watch.subscribe() as listener:
        name, data = listener.first
        while True:
            yield ServerSentEvent(data=data, event=name)
            name, data = await listener.next()


@router.get(
    "/watch",
    response_model=LabSnapshot,
    responses={
        200: {
            "description": "The snapshot as JSON; with `Accept: text/event-stream`, server-sent "
            "events: `snapshot` first, then `host`, `device` and `host_removed` as they change.",
            "content": event_stream_content(),
        },
        **errors(401),
    },
    operation_id="watch_lab",
)
async def watch_lab(request: Request, watch: WatchDep) -> Response:
    """Every host and device of the lab with its running execution; live as an event stream."""
    # Read, not declared: the answer's form is content negotiation, not an input to validate.
    if EVENT_STREAM in request.headers.get("accept", "").lower():
        return EventSourceResponse(_events(watch), ping=PING_S)
    async with watch.subscribe() as listener:
        return Response(listener.first[1], media_type="application/json")
