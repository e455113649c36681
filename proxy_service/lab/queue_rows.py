"""The lab queue's rows: accepted, claimed for one device exactly once, dispatched, ended.

A claim is a conditional update of a queued row, and a partial unique index allows one
claimed or running request per device: whichever replica claims, no request is taken twice
and no device gets two lab requests. On PostgreSQL the queued rows a dispatcher reads are
locked `FOR UPDATE SKIP LOCKED`, but only while that read's transaction lasts: two replicas
may choose the same request, and the one whose claim finds it taken looks again at once.
What follows a claim is in `attempt_rows.py`.
"""

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from proxy_service.lab import notices
from proxy_service.lab.notices import Topic
from proxy_service.lab.packed import unpack
from proxy_service.lab.sql import insert_new
from proxy_service.lab.tables import requests

QUEUED, CLAIMED, RUNNING, DONE = "queued", "claimed", "running", "done"

# The statements of every dispatched request, built once: building one costs more than
# SQLite takes to run it (~150 us of SQLAlchemy's coercions and cache keys per call).
_c = requests.c
_BY_ID = select(requests).where(_c.id == bindparam("request_id"))
_BY_KEY = select(requests).where(_c.idempotency_key == bindparam("key"))
_INSERT = requests.insert()
_HOLDING_STATES = (CLAIMED, RUNNING)
_HOLDING = select(_c.host_name, _c.device_id).where(_c.state.in_(_HOLDING_STATES))
_UNSETTLED = select(requests).where(_c.state.in_(_HOLDING_STATES))
_EXPIRED = select(_c.id).where(_c.state == QUEUED, _c.queue_deadline < bindparam("now"))
# The queue in dispatch order, a page at a time; past a row (its priority and seq) or not.
_ORDER = (_c.priority.desc(), _c.seq)
_PAGE = select(requests).where(_c.state == QUEUED).order_by(*_ORDER).limit(bindparam("limit"))
_PAGE_AFTER = (
    select(requests)
    .where(
        _c.state == QUEUED,
        or_(
            _c.priority < bindparam("priority"),
            and_(_c.priority == bindparam("priority"), _c.seq > bindparam("seq")),
        ),
    )
    .order_by(*_ORDER)
    .limit(bindparam("limit"))
)
_LOCKED = {
    False: _PAGE.with_for_update(skip_locked=True),
    True: _PAGE_AFTER.with_for_update(skip_locked=True),
}
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
        values["view"] = None if values["view"] is None else unpack(values["view"])
        values["retry_on_infra_failure"] = bool(values["retry_on_infra_failure"])
        values["cancel_requested"] = bool(values["cancel_requested"])
        return cls(**values)


def add(connection: Connection, values: dict[str, Any]) -> LabRequestRow:
    """A new queued request; the row with the same idempotency key if there is one.

    The insert skips a row whose key is taken, so two replicas given the same key at once
    both answer with the one row that was made first (no unique-key error).
    """
    row = {
        **values,
        "body": json.dumps(values["body"]),
        "selector": json.dumps(values["selector"]),
        "excluded": "[]",
        "state": QUEUED,
        "status": "queued",
        "attempts": 0,
        "cancel_requested": False,
        **dict.fromkeys(("host_execution_id", "claimed_at", "finished_at", "claimed_by")),
        **dict.fromkeys(("error", "view")),
    }
    key = values.get("idempotency_key")
    found: LabRequestRow | None
    if key is None:  # answered from what was written, not read back
        made = connection.execute(_INSERT, row).inserted_primary_key
        assert made is not None
        written = {"body": values["body"], "selector": values["selector"], "excluded": []}
        found = LabRequestRow(seq=int(made[0]), **{**row, **written})
    else:
        insert_new(connection, requests, [row], ["idempotency_key"])
        first = connection.execute(_BY_KEY, {"key": key}).mappings().first()
        found = None if first is None else LabRequestRow.of(first)
    assert found is not None
    if found.id == values["id"]:
        notices.send(connection, Topic.queue, found.id)
    return found


def get(connection: Connection, request_id: str) -> LabRequestRow | None:
    row = connection.execute(_BY_ID, {"request_id": request_id}).mappings().first()
    return None if row is None else LabRequestRow.of(row)


def queued(
    connection: Connection, limit: int, after: tuple[int, int] | None = None
) -> list[LabRequestRow]:
    """The queue in dispatch order: priority, higher first, then first come first served;
    `after` (a row's priority and seq) continues past that row."""
    params: dict[str, int] = {"limit": limit}
    if after is not None:
        params |= {"priority": after[0], "seq": after[1]}
    if connection.dialect.name == "postgresql":
        query = _LOCKED[after is not None]
    else:
        query = _PAGE if after is None else _PAGE_AFTER
    return [LabRequestRow.of(r) for r in connection.execute(query, params).mappings()]


def holding(connection: Connection) -> set[tuple[str, str]]:
    """The devices lab requests hold: claimed or running on them."""
    return {(h, d) for h, d in connection.execute(_HOLDING)}


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


def status(connection: Connection, request_id: str, value: str) -> None:
    connection.execute(
        update(requests)
        .where(requests.c.id == request_id, requests.c.state == RUNNING)
        .values(status=value)
    )


def request_cancel(connection: Connection, request_id: str) -> None:
    connection.execute(
        update(requests).where(requests.c.id == request_id).values(cancel_requested=True)
    )


def expired(connection: Connection, now: float) -> list[str]:
    """Queued requests past their queue wait limit."""
    return [r for (r,) in connection.execute(_EXPIRED, {"now": now})]


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
    return [LabRequestRow.of(r) for r in connection.execute(_UNSETTLED).mappings()]


def cancel_queued(connection: Connection, request_id: str, now: float) -> bool:
    """End a request that still waits; False once it is claimed (or over)."""
    changed = connection.execute(
        update(requests)
        .where(requests.c.id == request_id, requests.c.state == QUEUED)
        .values(state=DONE, status="cancelled", finished_at=now)
    ).rowcount
    if changed:
        notices.send(connection, Topic.request, request_id)
    return bool(changed)


def expire(connection: Connection, now: float) -> list[str]:
    """End the requests that waited past their queue wait limit: `timed_out`."""
    ended = []
    for request_id in expired(connection, now):
        error = {"code": "queue_timeout", "message": "no matching device was free in time"}
        if connection.execute(
            update(requests)
            .where(requests.c.id == request_id, requests.c.state == QUEUED)
            .values(state=DONE, status="timed_out", finished_at=now, error=json.dumps(error))
        ).rowcount:
            notices.send(connection, Topic.request, request_id)
            ended.append(request_id)
    return ended
