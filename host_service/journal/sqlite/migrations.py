"""Older journal layouts, brought up to the current one when a host opens them.

Each step runs in one transaction: a journal is either fully migrated or left
as it was, so a host stopped mid-way finds the old layout and starts again.
"""

import sqlite3

_V1_COLUMNS = (
    "execution_id, kind, host_name, device_id, request, idempotency_key, fingerprint, "
    "created_at, status, progress, message, started_at, finished_at, result, error, steps, "
    "current_step_id"
)

# Version 2's tables as it made them (rows.SCHEMA is the current version's): a
# migration builds the layout of its own version, so later changes cannot alter it.
_V2_SCHEMA = """
CREATE TABLE executions (
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
    current_step_id TEXT
);
CREATE TABLE events (
    execution_no INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (execution_no, seq)
) WITHOUT ROWID;
CREATE TABLE logs (
    execution_no INTEGER NOT NULL,
    n INTEGER NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (execution_no, n)
) WITHOUT ROWID;
"""

# Version 1 keyed every table by execution_id; version 2 by execution_no, the
# creation order, which version 1 kept as the executions table's rowid.
_V1_TO_V2 = f"""
ALTER TABLE executions RENAME TO executions_v1;
ALTER TABLE events RENAME TO events_v1;
ALTER TABLE logs RENAME TO logs_v1;
{_V2_SCHEMA}
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

# Version 3 keeps each execution's artifacts (screenshots): their list and how many
# the cap dropped. A version 4 freezes version 3's tables here, as _V2_SCHEMA does.
_V2_TO_V3 = """
ALTER TABLE executions ADD COLUMN artifacts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE executions ADD COLUMN artifacts_dropped INTEGER NOT NULL DEFAULT 0;
PRAGMA user_version = 3;
"""

# Version 4 keeps the highest execution number ever given (rows.py says why); a journal
# of version 3 starts from the highest it still holds.
_V3_TO_V4 = """
CREATE TABLE numbering (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_no INTEGER NOT NULL
);
INSERT INTO numbering (id, last_no) SELECT 1, coalesce(max(execution_no), 0) FROM executions;
PRAGMA user_version = 4;
"""

MIGRATIONS = {
    1: _V1_TO_V2,
    2: _V2_TO_V3,
    3: _V3_TO_V4,
}  # from version -> the script that makes it the next one


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring a journal at `version` (< the current one) up to date, one step at a time."""
    while version in MIGRATIONS:
        db.executescript(f"BEGIN;\n{MIGRATIONS[version]}\nCOMMIT;")
        version = db.execute("PRAGMA user_version").fetchone()[0]
