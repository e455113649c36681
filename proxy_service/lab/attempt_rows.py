"""A dispatched attempt's rows: claimed (`queue_rows.claim`), running on its host's
execution, then settled once: back in the queue, or ended.

Every replica reads every host's feed, where dispatched attempts end (`attempt_ends.py`),
so several may act on the same attempt at once (the same end seen twice, a late answer to
a claim another gave up, an end read before the start's answer). Each change here is
conditional on the request still being in the attempt it was made for (`attempts`,
counted up by every claim): the first one to act changes the row, the others change
nothing and are told so. The host is asked for an attempt with its own Idempotency-Key
(`attempt_key`): asking again finds the execution of the first ask, and the host's feed
names the attempt each execution ran.
"""

import json
from typing import Any

from sqlalchemy import LargeBinary, String, Text, and_, bindparam, func, or_, select, update
from sqlalchemy.engine import Connection

from proxy_service.lab import health_rows, notices
from proxy_service.lab.health_rows import Outcome
from proxy_service.lab.notices import Topic
from proxy_service.lab.packed import pack
from proxy_service.lab.queue_rows import CLAIMED, DONE, QUEUED, RUNNING, get
from proxy_service.lab.tables import requests

KEY_PREFIX = "lab-"


def attempt_key(request_id: str, attempt: int) -> str:
    return f"{KEY_PREFIX}{request_id}-{attempt}"


def key_attempt(key: str | None) -> tuple[str, int] | None:
    """The (request id, attempt) an Idempotency-Key of `attempt_key` names; None for others."""
    if key is None or not key.startswith(KEY_PREFIX):
        return None
    request_id, _, attempt = key.removeprefix(KEY_PREFIX).rpartition("-")
    return (request_id, int(attempt)) if request_id and attempt.isdigit() else None


# Built once, as queue_rows' statements: every dispatched request runs them (building one
# costs SQLAlchemy more than SQLite takes to run it). Each is for one attempt: the request
# must still be in it, claimed or running.
_c = requests.c
_IN_ATTEMPT = and_(
    _c.id == bindparam("request_id"),
    _c.attempts == bindparam("attempt"),
    or_(_c.state == CLAIMED, _c.state == RUNNING),
)
_RUNNING = (
    update(requests)
    .where(_IN_ATTEMPT, _c.state == CLAIMED)
    .values(state=RUNNING, host_execution_id=bindparam("execution"), status="queued")
)
_CANCEL_ASKED = select(_c.cancel_requested).where(_c.id == bindparam("request_id"))
_RELEASE = (
    update(requests)
    .where(_IN_ATTEMPT)
    .values(
        state=QUEUED,
        status="queued",
        host_name=None,
        device_id=None,
        host_execution_id=None,
        claimed_by=None,
        claimed_at=None,
        excluded=bindparam("now_excluded"),
    )
)
_FINISH = (
    update(requests)
    .where(_IN_ATTEMPT)
    .values(
        state=DONE,
        status=bindparam("ended_as"),
        finished_at=bindparam("ended_at"),
        view=bindparam("final_view", type_=LargeBinary),
        error=bindparam("own_error", type_=Text),
        # The execution it ended as, when its end was read before the start's answer.
        host_execution_id=func.coalesce(
            bindparam("ended_execution", type_=String), _c.host_execution_id
        ),
    )
)


def running(
    connection: Connection, request_id: str, host_execution_id: str, attempt: int
) -> tuple[bool, bool]:
    """Claimed -> running on the host's execution: `(changed, cancel asked)`; not changed
    if the claim was settled meanwhile."""
    keys = {"request_id": request_id, "attempt": attempt}
    changed = connection.execute(_RUNNING, {**keys, "execution": host_execution_id}).rowcount
    if changed:
        notices.send(connection, Topic.request, request_id)
    cancel = connection.execute(_CANCEL_ASKED, {"request_id": request_id}).scalar()
    return bool(changed), bool(cancel)


def release(
    connection: Connection, request_id: str, attempt: int, exclude: str | None = None
) -> bool:
    """Back to the queue (not dispatched after all), optionally never to `exclude` again;
    False if it left `attempt`."""
    row = get(connection, request_id)
    if row is None:
        return False
    excluded = json.dumps(row.excluded + ([exclude] if exclude else []))
    keys = {"request_id": request_id, "attempt": attempt}
    changed = connection.execute(_RELEASE, {**keys, "now_excluded": excluded}).rowcount
    if changed:
        notices.send(connection, Topic.queue, request_id)
    return bool(changed)


def finish(
    connection: Connection,
    request_id: str,
    attempt: int,
    status_: str,
    now: float,
    *,
    view: bytes | None = None,
    error: dict[str, Any] | None = None,
    host_execution_id: str | None = None,
) -> bool:
    """End an attempt's request once; False when it had left `attempt` (ended, back in the
    queue). `host_execution_id`: the execution it ended as, if not known yet."""
    values = {
        "request_id": request_id,
        "attempt": attempt,
        "ended_as": status_,
        "ended_at": now,
        "final_view": None if view is None else pack(view),
        "own_error": None if error is None else json.dumps(error),
        "ended_execution": host_execution_id,
    }
    changed = connection.execute(_FINISH, values).rowcount
    if changed:
        notices.send(connection, Topic.queue, request_id)  # its device is free
    return bool(changed)


def settle(
    connection: Connection,
    request_id: str,
    attempt: int,
    status_: str,
    now: float,
    *,
    view: bytes,
    exclude: str | None,
    outcome: Outcome,
    host_execution_id: str | None = None,
) -> tuple[str | None, bool]:
    """The end of a dispatched attempt, once, with its count against the device, in one
    transaction: back in the queue (never to `exclude` again) when `exclude` is given, else
    ended. `(QUEUED or DONE, quarantined)`, or `(None, False)` if it was settled already."""
    if exclude is not None and release(connection, request_id, attempt, exclude):
        settled = QUEUED
    elif finish(
        connection,
        request_id,
        attempt,
        status_,
        now,
        view=view,
        host_execution_id=host_execution_id,
    ):
        settled = DONE
    else:
        return None, False
    o = outcome
    return settled, health_rows.record(
        connection, o.host_name, o.device_id, o.error, o.limit, o.reason, now
    )
