"""The host's feed of finished executions, in creation order: what the lab history follows."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from host_service.deps import HostStateDep
from host_service.engine.record import ExecutionRecord
from host_service.errors import ConflictError, NotFoundError
from host_service.routes.responses import errors
from host_service.state import HostState
from schemas.history import ExecutionFeed, FeedEntry

router = APIRouter(tags=["executions"])


def definition_id(record: ExecutionRecord) -> str | None:
    """The testcase, campaign or tree an execution ran, from its request."""
    body: dict[str, Any] = record.request.get("body", {})
    for key in ("testcase", "campaign"):
        if isinstance(body.get(f"{key}_id"), str):
            return str(body[f"{key}_id"])
        inline = body.get(key)
        if isinstance(inline, dict) and isinstance(inline.get("id"), str):
            return str(inline["id"])
    tree = record.request.get("path", {}).get("tree_id")
    return tree if isinstance(tree, str) else None


def entry(state: HostState, number: int, record: ExecutionRecord) -> FeedEntry:
    try:
        config = state.devices.get(record.device_id).config
        model: str | None = config.model
        tags = list(config.tags)
    except NotFoundError:  # a device since removed from the config
        model, tags = None, []
    return FeedEntry(
        execution_no=number,
        definition_id=definition_id(record),
        model=model,
        tags=tags,
        view=state.registry.view(record.execution_id),
    )


@router.get(
    "/executions/feed",
    response_model=ExecutionFeed,
    responses=errors(409, 422),
    operation_id="get_execution_feed",
)
async def execution_feed(
    state: HostStateDep,
    after: Annotated[int, Query(ge=0, description="Executions created after this number.")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
    numbers: Annotated[
        list[int] | None,
        Query(max_length=500, description="Instead of `after`: these executions, if finished."),
    ] = None,
) -> Response:
    """Finished executions in creation order past `after`, and the numbers still running."""
    if state.journal is None:
        raise ConflictError(
            "this host keeps no journal (HOST_JOURNAL=none), so it offers no feed",
            code="no_journal",
        )
    rows, newest = state.journal.numbered(after, limit, numbers)
    items: list[FeedEntry] = []
    unfinished: list[int] = []
    for number, execution_id in rows:
        try:
            record = state.registry.get(execution_id)
        except NotFoundError:
            continue  # evicted since: the journal deletes its row in the next batch
        if record.status.terminal:
            items.append(entry(state, number, record))
        else:
            unfinished.append(number)
    last = rows[-1][0] if rows and numbers is None else after
    feed = ExecutionFeed(items=items, unfinished=unfinished, next_after=last, newest=newest)
    return Response(feed.model_dump_json(), media_type="application/json")
