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
import zlib
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.engine import Connection

from proxy_service.lab import health_rows, notices
from proxy_service.lab.health_rows import Outcome
from proxy_service.lab.notices import Topic
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


def _attempt(attempt: int | None) -> list[ColumnElement[bool]]:
    """The condition that the request is still in the given dispatch attempt (claimed or
    running): a replica acting on an attempt another has settled changes nothing."""
    if attempt is None:
        return []
    return [requests.c.attempts == attempt, requests.c.state.in_((CLAIMED, RUNNING))]


def running(
    connection: Connection, request_id: str, host_execution_id: str, attempt: int | None = None
) -> tuple[bool, bool]:
    """Claimed -> running on the host's execution: `(changed, cancel asked)`; not changed
    if the claim was settled meanwhile."""
    changed = connection.execute(
        update(requests)
        .where(requests.c.id == request_id, requests.c.state == CLAIMED, *_attempt(attempt))
        .values(state=RUNNING, host_execution_id=host_execution_id, status="queued")
    ).rowcount
    if changed:
        notices.send(connection, Topic.request, request_id)
    cancel = connection.execute(
        select(requests.c.cancel_requested).where(requests.c.id == request_id)
    ).scalar()
    return bool(changed), bool(cancel)


def release(
    connection: Connection,
    request_id: str,
    exclude: str | None = None,
    attempt: int | None = None,
) -> bool:
    """Back to the queue (not dispatched after all), optionally never to `exclude` again;
    False if it is not claimed or running (in `attempt`, when given)."""
    row = get(connection, request_id)
    if row is None or row.state not in (CLAIMED, RUNNING):
        return False
    excluded = row.excluded + ([exclude] if exclude else [])
    changed = connection.execute(
        update(requests)
        .where(
            requests.c.id == request_id,
            requests.c.state.in_((CLAIMED, RUNNING)),
            *_attempt(attempt),
        )
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
    ).rowcount
    if changed:
        notices.send(connection, Topic.queue, request_id)
    return bool(changed)


def finish(
    connection: Connection,
    request_id: str,
    status_: str,
    now: float,
    *,
    view: bytes | None = None,
    error: dict[str, Any] | None = None,
    attempt: int | None = None,
    host_execution_id: str | None = None,
) -> bool:
    """End a request once; False when it had ended already (or left `attempt`).
    `host_execution_id`: the execution it ended as (an end read before the start's answer)."""
    values: dict[str, Any] = {
        "state": DONE,
        "status": status_,
        "finished_at": now,
        "view": None if view is None else zlib.compress(view),
        "error": None if error is None else json.dumps(error),
    }
    if host_execution_id is not None:
        values["host_execution_id"] = host_execution_id
    changed = connection.execute(
        update(requests)
        .where(requests.c.id == request_id, requests.c.state != DONE, *_attempt(attempt))
        .values(values)
    ).rowcount
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
    if exclude is not None and release(connection, request_id, exclude, attempt):
        settled = QUEUED
    elif finish(
        connection,
        request_id,
        status_,
        now,
        view=view,
        attempt=attempt,
        host_execution_id=host_execution_id,
    ):
        settled = DONE
    else:
        return None, False
    o = outcome
    return settled, health_rows.record(
        connection, o.host_name, o.device_id, o.error, o.limit, o.reason, now
    )
