"""The store's frequent queries are answered through an index, not by walking rows (SQLite's
plan; bench/README.md "Lab tier" has the figures on both databases)."""

from pathlib import Path

from sqlalchemy import Select, text
from sqlalchemy.engine import Connection

from proxy_service.lab import HistoryFilter, SqlLabStore, open_lab_store, store_url
from proxy_service.lab.history_rows import SUMMARY, conditions
from proxy_service.lab.queue_rows import QUEUED
from proxy_service.lab.tables import history, requests


def plan(connection: Connection, query: Select[tuple[object, ...]]) -> str:
    compiled = query.compile(connection, compile_kwargs={"literal_binds": True})
    rows = connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
    return " | ".join(str(row[-1]) for row in rows)


def store(tmp_path: Path) -> SqlLabStore:
    return open_lab_store(store_url(f"sqlite:///{tmp_path / 'lab.sqlite3'}", tmp_path / "p.yaml"))


async def test_history_of_a_testcase_on_a_device_reads_only_its_rows(tmp_path: Path) -> None:
    opened = store(tmp_path)
    try:
        where = conditions(HistoryFilter(testcase_id="zap", device_id="tv-1"))
        newest = (
            history.select()
            .with_only_columns(*SUMMARY)
            .where(*where)
            .order_by(history.c.created_at.desc(), history.c.id.desc())
            .limit(51)
        )
        with opened.engine.connect() as connection:
            shown = plan(connection, newest)
        # Before the index, the testcase's index was walked for the device's rows: 85 ms
        # p99 at a million executions. Newest first straight from the index, no sort.
        assert "ix_lab_history_definition_device" in shown, shown
        assert "TEMP B-TREE" not in shown, shown
    finally:
        await opened.close()


async def test_the_expiry_check_reads_only_expired_requests(tmp_path: Path) -> None:
    opened = store(tmp_path)
    try:
        expired = requests.select().where(
            requests.c.state == QUEUED, requests.c.queue_deadline < 1000.0
        )
        with opened.engine.connect() as connection:
            shown = plan(connection, expired)
        assert "ix_lab_requests_deadline" in shown, shown
        assert "queue_deadline<" in shown.replace(" ", ""), shown
    finally:
        await opened.close()
