"""The lab queue's rows: accepted, claimed for one device exactly once, dispatched, ended.

A claim is a conditional update of a queued row, and a partial unique index allows one
claimed or running request per device: whichever replica claims, no request is taken twice
and no device gets two lab requests. On PostgreSQL the queued rows a dispatcher looks at
are locked `FOR UPDATE SKIP LOCKED`, so replicas work on different requests.
"""

import json
import zlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from proxy_service.lab.tables import requests

QUEUED, CLAIMED, RUNNING, DONE = "queued", "claimed", "running", "done"

# The statements of every dispatched request, built once: building one costs more than
# SQLite takes to run it (~150 us of SQLAlchemy's coercions and cache keys per call).
_c = requests.c
_BY_ID = select(requests).where(_c.id == bindparam("request_id"))
_CLAIM = (
    update(requests)
    .where(_c.id == bindparam("request_id"), _c.state == QUEUED)
    .values(
        state=CLAIMED,
        host_name=bindparam("host"),
        device_id=bindparam("device"),
        claimed_by=bindparam("by"),
        claimed_at=bindparam("now"),
        attempts=_c.attempts + 1,
    )
)
_RUNNING = (
    update(requests)
    .where(_c.id == bindparam("request_id"), _c.state == CLAIMED)
    .values(state=RUNNING, host_execution_id=bindparam("host_execution_id"), status="queued")
)
_CANCEL_ASKED = select(_c.cancel_requested).where(_c.id == bindparam("request_id"))
_FINISH = (
    update(requests)
    .where(_c.id == bindparam("request_id"), _c.state != DONE)
    .values(
        state=DONE,
        status=bindparam("status_"),
        finished_at=bindparam("now"),
        view=bindparam("view_"),
        error=bindparam("error_"),
    )
)


@dataclass
class LabRequestRow:
    seq: int
    id: str
    kind: str
    path: str
    body: dict[str, Any]
    selector: dict[str, Any]
    priority: int
    state: str
    status: str
    host_name: str | None
    device_id: str | None
    host_execution_id: str | None
    created_at: float
    claimed_at: float | None
    finished_at: float | None
    queue_deadline: float
    claimed_by: str | None
    retry_on_infra_failure: bool
    attempts: int
    excluded: list[str]
    cancel_requested: bool
    error: dict[str, Any] | None
    view: bytes | None
    idempotency_key: str | None
    fingerprint: str | None

    def retries_after(self, status: str) -> bool:
        """Whether an end in `status` on its device sends it back to the queue: `error` on
        its first device, when it asked `retry_on_infra_failure` (and was not cancelled)."""
        return (
            status == "error"
            and self.retry_on_infra_failure
            and self.attempts <= 1
            and not self.cancel_requested
        )

    @classmethod
    def of(cls, row: RowMapping) -> "LabRequestRow":
        values = dict(row)
        for name in ("body", "selector", "excluded"):
            values[name] = json.loads(values[name])
        values["error"] = None if values["error"] is None else json.loads(values["error"])
        values["view"] = None if values["view"] is None else zlib.decompress(values["view"])
        values["retry_on_infra_failure"] = bool(values["retry_on_infra_failure"])
        values["cancel_requested"] = bool(values["cancel_requested"])
        return cls(**values)


def add(connection: Connection, values: dict[str, Any]) -> LabRequestRow:
    """A new queued request; the row with the same idempotency key if there is one."""
    key = values.get("idempotency_key")
    if key is not None:
        known = (
            connection.execute(select(requests).where(requests.c.idempotency_key == key))
            .mappings()
            .first()
        )
        if known is not None:
            return LabRequestRow.of(known)
    fresh: dict[str, Any] = {
        "excluded": [],
        "state": QUEUED,
        "status": "queued",
        "attempts": 0,
        "cancel_requested": False,
        **dict.fromkeys(("host_execution_id", "claimed_at", "finished_at", "claimed_by")),
        **dict.fromkeys(("error", "view")),
    }
    row = {**values, **fresh}
    encoded = {name: json.dumps(row[name]) for name in ("body", "selector", "excluded")}
    inserted = connection.execute(requests.insert(), {**row, **encoded})
    # Built from what was written: reading the row back cost the start route a query.
    assert inserted.inserted_primary_key is not None
    return LabRequestRow(seq=int(inserted.inserted_primary_key[0]), **row)


def get(connection: Connection, request_id: str) -> LabRequestRow | None:
    row = connection.execute(_BY_ID, {"request_id": request_id}).mappings().first()
    return None if row is None else LabRequestRow.of(row)


def queued(
    connection: Connection, limit: int, after: tuple[int, int] | None = None
) -> list[LabRequestRow]:
    """The queue in dispatch order: priority, higher first, then first come first served;
    `after` (a row's priority and seq) continues past that row."""
    c = requests.c
    query = select(requests).where(c.state == QUEUED)
    if after is not None:
        priority, seq = after
        query = query.where(or_(c.priority < priority, and_(c.priority == priority, c.seq > seq)))
    query = query.order_by(c.priority.desc(), c.seq).limit(limit)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [LabRequestRow.of(r) for r in connection.execute(query).mappings()]


def holding(connection: Connection) -> set[tuple[str, str]]:
    """The devices lab requests hold: claimed or running on them."""
    rows = connection.execute(
        select(requests.c.host_name, requests.c.device_id).where(
            requests.c.state.in_((CLAIMED, RUNNING))
        )
    )
    return {(h, d) for h, d in rows}


def claim(
    connection: Connection, claims: list[tuple[str, str, str]], by: str, now: float
) -> set[str]:
    """Take queued requests for devices, `(request id, host, device)` each, in one
    transaction; the ids taken (not one that is taken already or whose device is held)."""
    taken = set()
    for request_id, host_name, device_id in claims:
        values = {"request_id": request_id, "host": host_name, "device": device_id}
        try:
            with connection.begin_nested():
                changed = connection.execute(_CLAIM, {**values, "by": by, "now": now}).rowcount
        except IntegrityError:  # another request holds the device (another replica's claim)
            continue
        if changed:
            taken.add(request_id)
    return taken


def running(connection: Connection, request_id: str, host_execution_id: str) -> bool:
    """Record the dispatch; whether a cancel was asked for meanwhile (it is cancelled on its
    host then)."""
    values = {"request_id": request_id, "host_execution_id": host_execution_id}
    connection.execute(_RUNNING, values)
    return bool(connection.execute(_CANCEL_ASKED, {"request_id": request_id}).scalar())


def status(connection: Connection, request_id: str, value: str) -> None:
    connection.execute(
        update(requests)
        .where(requests.c.id == request_id, requests.c.state == RUNNING)
        .values(status=value)
    )


def release(connection: Connection, request_id: str, exclude: str | None = None) -> bool:
    """Back to the queue (not dispatched after all), optionally never to `exclude` again."""
    row = get(connection, request_id)
    if row is None or row.state not in (CLAIMED, RUNNING):
        return False
    excluded = row.excluded + ([exclude] if exclude else [])
    connection.execute(
        update(requests)
        .where(requests.c.id == request_id)
        .values(
            state=QUEUED,
            status="queued",
            host_name=None,
            device_id=None,
            host_execution_id=None,
            claimed_by=None,
            claimed_at=None,
            excluded=json.dumps(excluded),
        )
    )
    return True


def finish(
    connection: Connection,
    request_id: str,
    status_: str,
    now: float,
    *,
    view: bytes | None = None,
    error: dict[str, Any] | None = None,
) -> bool:
    """End a request once; False when it had ended already."""
    values = {
        "request_id": request_id,
        "status_": status_,
        "now": now,
        "view_": None if view is None else zlib.compress(view),
        "error_": None if error is None else json.dumps(error),
    }
    return bool(connection.execute(_FINISH, values).rowcount)


def request_cancel(connection: Connection, request_id: str) -> None:
    connection.execute(
        update(requests).where(requests.c.id == request_id).values(cancel_requested=True)
    )


def expired(connection: Connection, now: float) -> list[str]:
    """Queued requests past their queue wait limit."""
    rows = connection.execute(
        select(requests.c.id).where(requests.c.state == QUEUED, requests.c.queue_deadline < now)
    )
    return [r for (r,) in rows]


def position(connection: Connection, row: LabRequestRow) -> int:
    """1 for the next request to be dispatched (of those that wait), and so on."""
    c = requests.c
    ahead = connection.execute(
        select(func.count())
        .select_from(requests)
        .where(
            c.state == QUEUED,
            or_(c.priority > row.priority, and_(c.priority == row.priority, c.seq < row.seq)),
        )
    ).scalar()
    return int(ahead or 0) + 1


def unsettled(connection: Connection) -> list[LabRequestRow]:
    """Claimed or running requests: dispatched, or about to be, and not known to have ended."""
    query = select(requests).where(requests.c.state.in_((CLAIMED, RUNNING)))
    return [LabRequestRow.of(r) for r in connection.execute(query).mappings()]


def cancel_queued(connection: Connection, request_id: str, now: float) -> bool:
    """End a request that still waits; False once it is claimed (or over)."""
    changed = connection.execute(
        update(requests)
        .where(requests.c.id == request_id, requests.c.state == QUEUED)
        .values(state=DONE, status="cancelled", finished_at=now)
    ).rowcount
    return bool(changed)


def expire(connection: Connection, now: float) -> list[str]:
    """End the requests that waited past their queue wait limit: `timed_out`."""
    ids = expired(connection, now)
    for request_id in ids:
        error = {"code": "queue_timeout", "message": "no matching device was free in time"}
        connection.execute(
            update(requests)
            .where(requests.c.id == request_id, requests.c.state == QUEUED)
            .values(state=DONE, status="timed_out", finished_at=now, error=json.dumps(error))
        )
    return ids
