"""Lab-wide history: every finished execution of every host, served from the lab store."""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from proxy_service.deps import IdPath, ProxyStateDep
from proxy_service.lab import Cursor, HistoryFilter
from proxy_service.lab_errors import BadQueryError, NotInHistoryError
from proxy_service.routes.responses import errors
from schemas import ExecutionKind, ExecutionStatus, ExecutionView
from schemas.base import IDENTIFIER_PATTERN
from schemas.history import HistoryPage, HistoryStats, StatsBucket, StatsGroup

router = APIRouter(tags=["history"])

Name = Annotated[str | None, Query(min_length=1, max_length=128, pattern=IDENTIFIER_PATTERN)]
STATS_RANGE = timedelta(days=7)  # what the stats cover when no range is given


async def history_filter(  # async: no worker-thread hop per request
    host_name: Name = None,
    device_id: Name = None,
    model: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
    tags: Annotated[
        list[str] | None, Query(max_length=20, description="Devices with all of these tags.")
    ] = None,
    kind: ExecutionKind | None = None,
    testcase_id: Name = None,
    campaign_id: Name = None,
    status: ExecutionStatus | None = None,
    success: Annotated[
        bool | None, Query(description="`result.success` of completed runs.")
    ] = None,
    started_after: Annotated[
        datetime | None, Query(description="Started (accepted) at or after this time.")
    ] = None,
    started_before: Annotated[datetime | None, Query(description="Started before it.")] = None,
) -> HistoryFilter:
    for name, value in (("started_after", started_after), ("started_before", started_before)):
        if value is not None and value.tzinfo is None:
            raise BadQueryError(name, "needs a time zone (2026-05-01T12:00:00Z)")
    return HistoryFilter(
        host_name=host_name,
        device_id=device_id,
        model=model,
        tags=[t for t in tags or [] if t],
        kind=kind,
        testcase_id=testcase_id,
        campaign_id=campaign_id,
        status=status,
        success=success,
        started_after=started_after,
        started_before=started_before,
    )


Filter = Annotated[HistoryFilter, Depends(history_filter)]


@router.get(
    "/history",
    response_model=HistoryPage,
    responses=errors(401, 422),
    operation_id="list_history",
)
async def list_history(
    state: ProxyStateDep,
    where: Filter,
    cursor: Annotated[
        str | None, Query(max_length=100, description="`next_cursor` of the previous page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> HistoryPage:
    """Finished executions of every host, newest first, from the lab store (hosts may be off)."""
    after = None
    if cursor is not None:
        try:
            after = Cursor.decode(cursor)
        except ValueError:
            raise BadQueryError("cursor", "not a cursor of this history") from None
    items, last = await state.lab.history(where, after, limit)
    return HistoryPage(items=items, next_cursor=None if last is None else last.encode())


@router.get(
    "/history/stats",
    response_model=HistoryStats,
    responses=errors(401, 422),
    operation_id="get_history_stats",
)
async def history_stats(
    state: ProxyStateDep,
    where: Filter,
    group: StatsGroup = StatsGroup.testcase,
    bucket: StatsBucket = StatsBucket.day,
) -> HistoryStats:
    """Pass rate and counts per testcase or device, per hour or day (default: the last 7 days)."""
    if where.started_after is None:
        where.started_after = (where.started_before or datetime.now(UTC)) - STATS_RANGE
    rows = await state.lab.history_stats(where, group, bucket)
    return HistoryStats(group=group, bucket=bucket, rows=rows)


@router.get(
    "/history/{host_name}/{execution_id}",
    response_model=ExecutionView,
    responses=errors(401, 404, 422),
    operation_id="get_history_execution",
)
async def history_execution(
    host_name: IdPath, execution_id: IdPath, state: ProxyStateDep
) -> Response:
    """The recorded view of one finished execution, also when its host is offline or evicted it."""
    content = await state.lab.history_view(host_name, execution_id)
    if content is None:
        raise NotInHistoryError(
            f"no execution {execution_id!r} of host {host_name!r} in the lab history",
        )
    return Response(content, media_type="application/json")
