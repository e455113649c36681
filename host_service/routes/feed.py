"""The host's feed of finished executions, in creation order: what the lab history follows.

A reading asks for the executions past a cursor (`after`), for some by number (`numbers`,
those it saw unfinished before), or both at once; `wait` long-polls: with nothing finished
to answer, the answer waits for an execution of this host to end. So a proxy following the
feed hears of every end within a round trip, with one call for many executions.
"""

import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from host_service.deps import HostStateDep
from host_service.engine.record import ExecutionRecord
from host_service.errors import ConflictError, NotFoundError
from host_service.routes.responses import errors
from host_service.state import HostState
from schemas.history import ExecutionFeed, FeedEntry
from service_common.queries import WAIT_MAX_S
from service_common.stopping import StoppingDep

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
        idempotency_key=None if record.idempotency is None else record.idempotency[0],
        view=state.registry.view(record.execution_id),
    )


def reading(
    state: HostState, after: int | None, limit: int, numbers: list[int] | None
) -> ExecutionFeed:
    assert state.journal is not None
    rows: list[tuple[int, str]] = []
    newest = 0
    if numbers:
        rows, newest = state.journal.numbered(0, len(numbers), numbers)
    page: list[tuple[int, str]] = []
    if numbers is None or after is not None:
        page, newest = state.journal.numbered(after or 0, limit, None)
    items: list[FeedEntry] = []
    unfinished: list[int] = []
    for number, execution_id in rows + page:
        try:
            record = state.registry.get(execution_id)
        except NotFoundError:
            continue  # evicted since: the journal deletes its row in the next batch
        if record.status.terminal:
            items.append(entry(state, number, record))
        else:
            unfinished.append(number)
    last = page[-1][0] if page else (after or 0)
    return ExecutionFeed(items=items, unfinished=unfinished, next_after=last, newest=newest)


@router.get(
    "/executions/feed",
    response_model=ExecutionFeed,
    responses=errors(409, 422),
    operation_id="get_execution_feed",
)
async def execution_feed(
    state: HostStateDep,
    stopping: StoppingDep,
    after: Annotated[
        int | None,
        Query(ge=0, description="Executions created after this number (0 without `numbers`)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
    numbers: Annotated[
        list[int] | None,
        Query(max_length=500, description="These executions, if finished (and `after`'s page)."),
    ] = None,
    wait: Annotated[
        float,
        Query(
            ge=0,
            le=WAIT_MAX_S,
            description="Long-poll: with nothing finished to answer, wait up to this many "
            "seconds for an execution of this host to end.",
        ),
    ] = 0,
) -> Response:
    """Finished executions in creation order past `after`, and the numbers still running."""
    if state.journal is None:
        raise ConflictError(
            "this host keeps no journal (HOST_JOURNAL=none), so it offers no feed",
            code="no_journal",
        )
    changes = state.device_changes
    ended = changes.ended  # before the reading: an end meanwhile makes it read again
    # The journal's rows are what is read: those of executions made so far are written
    # first, or an execution that ended before its row was committed would wait unseen.
    await state.journal.flushed()
    feed = reading(state, after, limit, numbers)
    give_up = time.monotonic() + wait
    while not feed.items and not stopping.begun:
        remaining = give_up - time.monotonic()
        if remaining <= 0:
            break
        now = changes.now
        if changes.ended == ended:
            await stopping.race(changes.wait(now, remaining))
        if changes.ended != ended:
            ended = changes.ended
            await state.journal.flushed()
            feed = reading(state, after, limit, numbers)
    return Response(feed.model_dump_json(), media_type="application/json")
