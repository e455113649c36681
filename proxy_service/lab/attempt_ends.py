"""Dispatched attempts' ends as a host's feed shows them, settled in the reading's transaction.

The host's feed names each finished execution's Idempotency-Key, and the lab asks for each
attempt with a key of its own (`attempt_rows.attempt_key`), so one reading of the feed tells
which attempts ended, however many. Each is settled as `attempt_rows.settle` says (once,
whichever replica or path sees it first), in the transaction that records the reading's
history and moves the feed's cursor: an end is never read past without being settled.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from proxy_service.lab import attempt_rows
from proxy_service.lab.health_rows import Outcome
from proxy_service.lab.queue_rows import CLAIMED, RUNNING, LabRequestRow
from proxy_service.lab.tables import requests
from schemas import ExecutionView
from schemas.history import FeedEntry

_BY_IDS = select(requests).where(requests.c.id.in_(bindparam("ids", expanding=True)))


@dataclass(frozen=True)
class Settlement:
    """How an attempt's end settles its request: `status`, back in the queue never to
    `exclude` again (a retry elsewhere) when given, and what it says of its device."""

    status: str
    exclude: str | None
    outcome: Outcome


# The rule of an end (`device_health.py`): pure, so it runs in the store's thread.
Judge = Callable[[LabRequestRow, ExecutionView], Settlement]


@dataclass(frozen=True)
class AttemptEnd:
    request_id: str
    settlement: Settlement
    settled: str  # QUEUED (to run elsewhere) or DONE
    quarantined: bool


def under_lab_id(view: ExecutionView, request_id: str) -> bytes:
    """The host's view under the lab's id: clients keep following the id they were given."""
    return view.model_copy(update={"execution_id": request_id}).model_dump_json().encode()


def _ran_it(row: LabRequestRow, attempt: int, host_name: str, view: ExecutionView) -> bool:
    """The execution is the attempt the row is in: same attempt, host and device, and the
    execution the start answered with (or no answer yet)."""
    return (
        row.attempts == attempt
        and row.state in (CLAIMED, RUNNING)
        and (row.host_name, row.device_id) == (host_name, view.device_id)
        and row.host_execution_id in (None, view.execution_id)
    )


def settle_ended(
    connection: Connection, host_name: str, entries: list[FeedEntry], judge: Judge, now: float
) -> tuple[list[AttemptEnd], dict[str, str]]:
    """Settle the attempts that `entries` (finished executions of `host_name`) ended; the
    ends settled here, and the lab request each lab execution ran for (by its host id)."""
    keyed: dict[str, tuple[int, ExecutionView]] = {}
    for entry in entries:
        found = attempt_rows.key_attempt(entry.idempotency_key)
        if found is not None:
            keyed[found[0]] = (found[1], entry.view)
    if not keyed:
        return [], {}
    rows = connection.execute(_BY_IDS, {"ids": list(keyed)}).mappings()
    ends, lab_ids = [], {}
    for row in map(LabRequestRow.of, rows):
        attempt, view = keyed[row.id]
        lab_ids[view.execution_id] = row.id
        if not _ran_it(row, attempt, host_name, view):
            continue
        settlement = judge(row, view)
        settled, quarantined = attempt_rows.settle(
            connection,
            row.id,
            attempt,
            settlement.status,
            now,
            view=under_lab_id(view, row.id),
            exclude=settlement.exclude,
            outcome=settlement.outcome,
            host_execution_id=view.execution_id,
        )
        if settled is not None:
            ends.append(AttemptEnd(row.id, settlement, settled, quarantined))
    return ends, lab_ids
