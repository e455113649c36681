"""How an execution record is laid out in the journal's tables, and read back."""

import json
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from host_service.engine.artifact import Artifact
from host_service.engine.events import StoredEvent
from host_service.engine.record import ExecutionRecord, StoredParts
from host_service.journal.sqlite.writer import RowOp
from schemas import ExecutionKind, ExecutionStatus, StepView
from schemas.events import EXECUTION_EVENT

SCHEMA_VERSION = 4

# Rows are keyed by `execution_no`, the order in which this host created its
# executions: new rows land at the end of every B-tree instead of at a random
# place (ids are random UUIDs), so a commit dirties a few pages, not one per
# execution. Version 1 keyed them by execution_id, version 2 had no artifacts, version 3
# no `numbering` (migrations.py). `numbering` keeps the highest number ever given: an
# evicted row takes its number with it, and a number given twice would hide the second
# execution from a feed reader whose cursor passed the first.
SCHEMA = """
CREATE TABLE IF NOT EXISTS executions (
    execution_no INTEGER PRIMARY KEY,
    execution_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    host_name TEXT NOT NULL,
    device_id TEXT NOT NULL,
    request TEXT NOT NULL,
    idempotency_key TEXT,
    fingerprint TEXT,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL,
    message TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    result TEXT,
    error TEXT,
    steps TEXT NOT NULL,
    current_step_id TEXT,
    artifacts TEXT NOT NULL DEFAULT '[]',
    artifacts_dropped INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS events (
    execution_no INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (execution_no, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS logs (
    execution_no INTEGER NOT NULL,
    n INTEGER NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (execution_no, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS numbering (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_no INTEGER NOT NULL
);
"""

_STATE = (
    "status",
    "progress",
    "message",
    "started_at",
    "finished_at",
    "result",
    "error",
    "steps",
    "current_step_id",
    "artifacts",
    "artifacts_dropped",
)
_COLUMNS = (
    "execution_no",
    "execution_id",
    "kind",
    "host_name",
    "device_id",
    "request",
    "idempotency_key",
    "fingerprint",
    "created_at",
    *_STATE,
)


def _row(width: int) -> str:
    return "(" + ", ".join(["?"] * width) + ")"


# Statement texts are built from the fixed column and table names above, never from input.
_INSERT_HEAD = f"INSERT INTO executions ({', '.join(_COLUMNS)}) VALUES "  # noqa: S608
INSERT = RowOp(_INSERT_HEAD, _row(len(_COLUMNS)))
# Many rows at once: UPDATE ... FROM (VALUES ...) matches each row by its first column.
UPDATE = RowOp(
    "UPDATE executions SET "  # noqa: S608
    + ", ".join(f"{column} = v.column{i}" for i, column in enumerate(_STATE, start=2))
    + " FROM (VALUES ",
    _row(1 + len(_STATE)),
    ") AS v WHERE executions.execution_no = v.column1",
    coalesce=True,
)
INSERT_EVENT = RowOp("INSERT INTO events (execution_no, seq, body) VALUES ", "(?, ?, ?)")
INSERT_LOG = RowOp("INSERT INTO logs (execution_no, n, line) VALUES ", "(?, ?, ?)")
DELETE_LOG = RowOp("DELETE FROM logs WHERE (execution_no, n) IN (VALUES ", "(?, ?)", ")")
EVICT = [
    RowOp(f"DELETE FROM {table} WHERE execution_no IN (", "?", ")")  # noqa: S608
    for table in ("executions", "events", "logs")
]
# The highest number an eviction took away, kept for the next start's numbering.
EVICTED_UP_TO = RowOp(
    "INSERT INTO numbering (id, last_no) VALUES ",
    "(1, ?)",
    " ON CONFLICT (id) DO UPDATE SET last_no = max(last_no, excluded.last_no)",
)
ORDER = [INSERT, UPDATE, INSERT_EVENT, INSERT_LOG, DELETE_LOG, *EVICT, EVICTED_UP_TO]

_STEPS: TypeAdapter[list[StepView]] = TypeAdapter(list[StepView])
_ARTIFACTS: TypeAdapter[list[Artifact]] = TypeAdapter(list[Artifact])


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def state_params(r: ExecutionRecord, number: int) -> Callable[[], tuple[Any, ...]]:
    """The execution's number, then the columns that change, in UPDATE order.

    Takes a snapshot now and encodes it later, in the writer's thread: a record's
    steps, result and error are replaced when they change, never mutated in place.
    """
    status, progress, message, current = r.status.value, r.progress, r.message, r.current_step_id
    started, finished, result, error = r.started_at, r.finished_at, r.result, r.error
    steps = list(r.steps.values())
    artifacts, dropped = r.artifacts, r.artifacts_dropped  # the list is replaced, not mutated

    def encode() -> tuple[Any, ...]:
        return (
            number,
            status,
            progress,
            message,
            _time(started),
            _time(finished),
            None if result is None else result.model_dump_json(),
            None if error is None else error.model_dump_json(),
            _STEPS.dump_json(steps).decode(),
            current,
            _ARTIFACTS.dump_json(artifacts).decode() if artifacts else "[]",
            dropped,
        )

    return encode


def insert_params(r: ExecutionRecord, number: int) -> Callable[[], tuple[Any, ...]]:
    key, fingerprint = r.idempotency or (None, None)
    state = state_params(r, number)
    first = (r.execution_id, r.kind.value, r.host_name, r.device_id, r.request, key, fingerprint)
    created_at = r.created_at

    def encode() -> tuple[Any, ...]:
        execution_id, kind, host_name, device_id, request, key, fingerprint = first
        values = (execution_id, kind, host_name, device_id, json.dumps(request), key, fingerprint)
        return (number, *values, _time(created_at), *state()[1:])

    return encode


# An event's JSON is its wire form, written by pydantic in field order: `seq`,
# `execution_id`, `at`, then `type`, so the first "type" key is the event's own.
_EVENT_TYPE = re.compile(rb'"type":"([a-z_]+)"')


def stored_event(seq: int, body: bytes) -> StoredEvent:
    """An event row as the log keeps it, without parsing it (it is read back as written)."""
    found = _EVENT_TYPE.search(body, 0, 300)
    if found is None:  # not the shape this host writes: parse it once
        event = EXECUTION_EVENT.validate_json(body)
        return StoredEvent(seq, event.type.value, event.model_dump_json().encode())
    return StoredEvent(seq, found.group(1).decode(), body)


def record_from_row(row: sqlite3.Row, max_log_lines: int, max_events: int) -> ExecutionRecord:
    key, fingerprint = row["idempotency_key"], row["fingerprint"]
    record = ExecutionRecord(
        execution_id=row["execution_id"],
        kind=ExecutionKind(row["kind"]),
        host_name=row["host_name"],
        device_id=row["device_id"],
        request=json.loads(row["request"]),
        max_log_lines=max_log_lines,
        max_events=max_events,
        idempotency=None if key is None else (key, fingerprint),
        created_at=datetime.fromisoformat(row["created_at"]),
        status=ExecutionStatus(row["status"]),
        progress=row["progress"],
        message=row["message"],
        started_at=_parse_time(row["started_at"]),
        finished_at=_parse_time(row["finished_at"]),
        stored=StoredParts(row["result"], row["error"], row["steps"]),
        current_step_id=row["current_step_id"],
    )
    record.artifacts = _ARTIFACTS.validate_json(row["artifacts"])
    record.artifacts_dropped = row["artifacts_dropped"]
    if not record.status.terminal:
        record.decode_stored()  # recovery is about to change it
    return record
