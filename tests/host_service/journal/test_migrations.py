"""Journals written by older hosts: migrated when a host opens them, served as before."""

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from host_service.journal.sqlite.rows import SCHEMA_VERSION
from tests.conftest import HostFactory, RunningHost, fake, simulated
from tests.helpers import actions, finished, start

BATCH = "/host/action/executeBatch"


async def snapshot(host: RunningHost, execution_id: str) -> dict[str, Any]:
    view = await host.client.get(f"/host/executions/{execution_id}", params={"include_logs": 1})
    events = await host.client.get(
        f"/host/executions/{execution_id}/events", headers={"accept": "application/json"}
    )
    return {"view": view.json(), "events": events.json()}


DEVICES = [fake("d1"), simulated("tv-1")]


async def executions_of(host_factory: HostFactory) -> tuple[list[str], list[dict[str, Any]]]:
    async with host_factory(DEVICES) as host:
        ids = [
            await start(host.client, BATCH, {"device_id": "d1", "actions": actions(c)})
            for c in ("ok", "fail", "ok")
        ]
        return ids, [await snapshot(host, i) for i in ids if await finished(host.client, i)]


async def older_journal(
    host_factory: HostFactory, tmp_path: Path, layout: str
) -> tuple[list[str], list[dict[str, Any]], Path]:
    """Executions written by this host, then their journal taken back to `layout`."""
    ids, before = await executions_of(host_factory)
    journal = tmp_path / "var" / "test-host.sqlite3"
    with sqlite3.connect(journal) as db:
        db.executescript(layout)
    return ids, before, journal


# The layout of schema version 1, as hosts before execution_no wrote it.
V1_LAYOUT = """
CREATE TABLE executions_v1 (
    execution_id TEXT PRIMARY KEY, kind TEXT NOT NULL, host_name TEXT NOT NULL,
    device_id TEXT NOT NULL, request TEXT NOT NULL, idempotency_key TEXT, fingerprint TEXT,
    created_at TEXT NOT NULL, status TEXT NOT NULL, progress INTEGER NOT NULL,
    message TEXT NOT NULL, started_at TEXT, finished_at TEXT, result TEXT, error TEXT,
    steps TEXT NOT NULL, current_step_id TEXT
);
INSERT INTO executions_v1 SELECT execution_id, kind, host_name, device_id, request,
    idempotency_key, fingerprint, created_at, status, progress, message, started_at,
    finished_at, result, error, steps, current_step_id FROM executions ORDER BY execution_no;
CREATE TABLE events_v1 (
    execution_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (execution_id, seq)
) WITHOUT ROWID;
INSERT INTO events_v1 SELECT x.execution_id, e.seq, e.body FROM events AS e JOIN executions AS x
    USING (execution_no);
CREATE TABLE logs_v1 (
    execution_id TEXT NOT NULL, n INTEGER NOT NULL, line TEXT NOT NULL,
    PRIMARY KEY (execution_id, n)
) WITHOUT ROWID;
INSERT INTO logs_v1 SELECT x.execution_id, l.n, l.line FROM logs AS l JOIN executions AS x
    USING (execution_no);
DROP TABLE executions; DROP TABLE events; DROP TABLE logs; DROP TABLE numbering;
ALTER TABLE executions_v1 RENAME TO executions;
ALTER TABLE events_v1 RENAME TO events;
ALTER TABLE logs_v1 RENAME TO logs;
PRAGMA user_version = 1;
"""


# Version 3 kept no numbering: the table version 4 added, taken away again.
V3_LAYOUT = """
DROP TABLE numbering;
PRAGMA user_version = 3;
"""


@pytest.mark.parametrize("layout", [V1_LAYOUT, V3_LAYOUT], ids=["version 1", "version 3"])
async def test_an_older_journal_is_migrated_served_as_before_and_numbers_past_what_it_holds(
    host_factory: HostFactory, tmp_path: Path, layout: str
) -> None:
    ids, before, journal = await older_journal(host_factory, tmp_path, layout)
    async with host_factory([fake("d1")]) as host:
        assert [await snapshot(host, i) for i in ids] == before
        newer = await start(host.client, BATCH, {"device_id": "d1", "actions": actions("ok")})
        await finished(host.client, newer)
    with sqlite3.connect(journal) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("SELECT last_no FROM numbering").fetchone() == (len(ids),)
        rows = db.execute("SELECT execution_no, execution_id FROM executions ORDER BY 1")
        assert list(rows) == [*enumerate(ids, start=1), (len(ids) + 1, newer)]


# Version 2 had no artifacts: the columns version 3 added, taken away again.
V2_LAYOUT = """
DROP TABLE numbering;
ALTER TABLE executions DROP COLUMN artifacts;
ALTER TABLE executions DROP COLUMN artifacts_dropped;
PRAGMA user_version = 2;
"""


async def test_a_version_2_journal_is_migrated_and_keeps_artifacts_from_then_on(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    ids, before, journal = await older_journal(host_factory, tmp_path, V2_LAYOUT)
    async with host_factory(DEVICES) as host:
        assert [await snapshot(host, i) for i in ids] == before
        guide = {"command": "press_key", "params": {"key": "GUIDE"}}
        body = {"device_id": "tv-1", "actions": [guide], "capture": "always"}
        captured = await start(host.client, BATCH, body)
        artifacts = (await finished(host.client, captured))["artifacts"]
        assert [a["step_id"] for a in artifacts] == ["main-0"]
    with sqlite3.connect(journal) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    async with host_factory(DEVICES) as host:
        view = (await host.client.get(f"/host/executions/{captured}")).json()
        assert view["artifacts"] == artifacts
        served = await host.client.get(artifacts[0]["url"])
        assert served.status_code == 200
        assert len(served.content) == artifacts[0]["bytes"]
