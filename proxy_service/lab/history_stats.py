"""Pass rates and counts per testcase or device, per hour or day, over the lab's history."""

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Integer, and_, case, func, select
from sqlalchemy.engine import Connection

from proxy_service.lab.history_rows import HistoryFilter, conditions
from proxy_service.lab.sql import floor
from proxy_service.lab.tables import history
from schemas.history import HistoryStatsRow, StatsBucket, StatsGroup

BUCKET_S = {StatsBucket.hour: 3600, StatsBucket.day: 86_400}
MAX_ROWS = 10_000  # keys x buckets answered at most: a wider question needs a narrower range


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0)).cast(Integer)


def stats(
    connection: Connection, f: HistoryFilter, group: StatsGroup, bucket: StatsBucket
) -> list[HistoryStatsRow]:
    c = history.c
    size = BUCKET_S[bucket]
    slot = floor(connection, c.created_at / size).label("slot")
    keys = (c.definition_id,) if group is StatsGroup.testcase else (c.host_name, c.device_id)
    where = conditions(f)
    if group is StatsGroup.testcase:
        where.append(c.definition_id.is_not(None))
    completed = c.status == "completed"
    query = (
        select(
            *keys,
            slot,
            func.count().label("runs"),
            _count(and_(completed, c.success.is_(True))).label("passed"),
            _count(and_(completed, c.success.is_not(True))).label("failed"),
            _count(c.status == "error").label("errors"),
        )
        .where(and_(True, *where))
        .group_by(*keys, slot)
        .order_by(*keys, slot)
        .limit(MAX_ROWS)
    )
    rows = []
    for row in connection.execute(query).mappings():
        key = "/".join(str(row[k.name]) for k in keys)
        passed, failed, errors, runs = row["passed"], row["failed"], row["errors"], row["runs"]
        ended = passed + failed
        rows.append(
            HistoryStatsRow(
                key=key,
                bucket_start=datetime.fromtimestamp(row["slot"] * size, UTC),
                runs=runs,
                passed=passed,
                failed=failed,
                errors=errors,
                other=runs - ended - errors,
                pass_rate=None if ended == 0 else passed / ended,
            )
        )
    return rows
