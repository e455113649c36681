"""How far each host's feed was read: a cursor, and the executions it showed still running."""

from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select
from sqlalchemy.engine import Connection

from proxy_service.lab import attempt_ends, history_rows
from proxy_service.lab.attempt_ends import AttemptEnd, Judge
from proxy_service.lab.sql import insert_new, upsert
from proxy_service.lab.tables import feed_cursors, feed_pending
from schemas.history import FeedEntry


@dataclass(frozen=True)
class Advanced:
    """What a reading recorded: the attempts it ended, and the feed's position after it."""

    ends: list[AttemptEnd]
    after: int
    pending: list[int]


# Built once: every reading of every host's feed runs them.
_CURSOR = select(feed_cursors.c.after).where(feed_cursors.c.host_name == bindparam("host"))
_PENDING = (
    select(feed_pending.c.execution_no)
    .where(feed_pending.c.host_name == bindparam("host"))
    .order_by(feed_pending.c.execution_no)
)
_SETTLED = delete(feed_pending).where(
    feed_pending.c.host_name == bindparam("host"),
    feed_pending.c.execution_no.in_(bindparam("numbers", expanding=True)),
)


def position(connection: Connection, host_name: str) -> tuple[int, list[int]]:
    """The cursor (0 before the first read) and the pending execution numbers, oldest first."""
    after = connection.execute(_CURSOR, {"host": host_name}).scalar()
    pending = connection.execute(_PENDING, {"host": host_name}).scalars()
    return int(after or 0), [int(n) for n in pending]


def advance(
    connection: Connection,
    host_name: str,
    entries: list[FeedEntry],
    *,
    after: int | None,
    pending: list[int],
    settled: list[int],
    judge: Judge,
    now: float,
) -> Advanced:
    """In one transaction: settle the lab's attempts `entries` ended and record `entries`,
    add `pending`, drop `settled`, move the cursor."""
    ends, lab_ids = attempt_ends.settle_ended(connection, host_name, entries, judge, now)
    history_rows.record(connection, host_name, entries, lab_ids)
    insert_new(
        connection,
        feed_pending,
        [{"host_name": host_name, "execution_no": n} for n in pending],
        ["host_name", "execution_no"],
    )
    if settled:
        connection.execute(_SETTLED, {"host": host_name, "numbers": settled})
    if after is not None:
        upsert(
            connection,
            feed_cursors,
            [{"host_name": host_name, "after": after, "updated_at": now}],
            ["host_name"],
        )
    return Advanced(ends, *position(connection, host_name))


def restart(connection: Connection, host_name: str) -> None:
    """The host's journal starts again below the cursor: read it from the start (no
    execution is recorded twice, whatever is read again)."""
    connection.execute(delete(feed_pending).where(feed_pending.c.host_name == host_name))
    connection.execute(delete(feed_cursors).where(feed_cursors.c.host_name == host_name))
