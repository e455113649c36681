"""Older journal layouts, brought up to the current one when a host opens them.

Each step runs in one transaction: a journal is either fully migrated or left
as it was, so a host stopped mid-way finds the old layout and starts again.
"""

import sqlite3

from host_service.journal.sqlite.rows import SCHEMA

_V1_COLUMNS = (
    "execution_id, kind, host_name, device_id, request, idempotency_key, fingerprint, "
    "created_at, status, progress, message, started_at, finished_at, result, error, steps, "
    "current_step_id"
)

# Version 1 keyed every table by execution_id; version 2 by execution_no, the
# creation order, which version 1 kept as the executions table's rowid. `SCHEMA`
# is version 2 today: a version 3 must freeze version 2's tables here instead.
_V1_TO_V2 = f"""
ALTER TABLE executions RENAME TO executions_v1;
ALTER TABLE events RENAME TO events_v1;
ALTER TABLE logs RENAME TO logs_v1;
{SCHEMA}
INSERT INTO executions (execution_no, {_V1_COLUMNS})
    SELECT rowid, {_V1_COLUMNS} FROM executions_v1;
INSERT INTO events (execution_no, seq, body)
    SELECT x.execution_no, e.seq, e.body
    FROM events_v1 AS e JOIN executions AS x USING (execution_id);
INSERT INTO logs (execution_no, n, line)
    SELECT x.execution_no, l.n, l.line
    FROM logs_v1 AS l JOIN executions AS x USING (execution_id);
DROP TABLE executions_v1;
DROP TABLE events_v1;
DROP TABLE logs_v1;
PRAGMA user_version = 2;
"""  # noqa: S608 - fixed table and column names

MIGRATIONS = {1: _V1_TO_V2}  # from version -> the script that makes it the next one


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring a journal at `version` (< the current one) up to date, one step at a time."""
    while version in MIGRATIONS:
        db.executescript(f"BEGIN;\n{MIGRATIONS[version]}\nCOMMIT;")
        version = db.execute("PRAGMA user_version").fetchone()[0]
