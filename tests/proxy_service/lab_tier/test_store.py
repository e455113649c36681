"""The lab store: migrated at open, on SQLite and PostgreSQL alike; hosts kept across opens."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from proxy_service.lab import HostRow, LabStoreError, SqlLabStore, open_lab_store, store_url
from proxy_service.lab.migrate import alembic_config, revision
from proxy_service.lab.tables import metadata
from schemas import DeviceState, HostDevice

CONFIG = Path("/nonexistent/proxy.yaml")  # only the default SQLite location depends on it


def open_store(database_url: str) -> SqlLabStore:
    return open_lab_store(store_url(database_url, CONFIG))


def device(device_id: str) -> HostDevice:
    return HostDevice(device_id=device_id, name=device_id, model="simtv-4k", state=DeviceState.idle)


async def test_opening_migrates_to_the_newest_revision_once(database_url: str) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    store = open_store(database_url)
    try:
        assert revision(store.engine) == head
        assert store.backend in ("sqlite", "postgresql")
    finally:
        await store.close()
    again = open_store(database_url)  # at head already: nothing to do, nothing lost
    try:
        assert revision(again.engine) == head
    finally:
        await again.close()


async def test_the_migrations_make_the_tables_the_queries_are_written_against(
    database_url: str,
) -> None:
    store = open_store(database_url)
    try:
        with store.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
        assert differences == []
    finally:
        await store.close()


async def test_hosts_are_kept_across_opens(database_url: str) -> None:
    seen = datetime(2026, 5, 1, 12, 30, 15, 250_000, tzinfo=UTC)
    store = open_store(database_url)
    try:
        await store.save_host(HostRow("h-1", "http://h1:8101", "registered", [device("tv-1")]))
        await store.save_host(
            HostRow(
                "h-2",
                "http://h2:8101",
                "config",
                [device("tv-1"), device("tv-2")],
                last_heartbeat=seen,
                last_seen=seen,
                last_error="boom",
            )
        )
        await store.save_host(HostRow("h-1", "http://h1:9000", "registered", []))  # moved
    finally:
        await store.close()
    store = open_store(database_url)
    try:
        rows = {row.name: row for row in await store.load_hosts()}
        assert rows["h-1"].url == "http://h1:9000"
        assert rows["h-1"].devices == []
        assert rows["h-2"].devices == [device("tv-1"), device("tv-2")]
        assert rows["h-2"].last_seen == seen
        assert rows["h-2"].last_heartbeat == seen
        assert rows["h-2"].last_error == "boom"
        await store.remove_host("h-1")
        assert [row.name for row in await store.load_hosts()] == ["h-2"]
    finally:
        await store.close()


def test_the_default_store_is_a_sqlite_file_next_to_the_config(tmp_path: Path) -> None:
    url = store_url(None, tmp_path / "proxy.yaml")
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "var" / "lab.sqlite3")


def test_postgresql_urls_use_psycopg_3() -> None:
    url = store_url("postgresql://lab:secret@db.example:5432/lab", CONFIG)
    assert url.drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("given", "named"),
    [("mysql://u@h/db", "unsupported database 'mysql'"), ("not a url", "not a database URL")],
)
def test_a_url_the_store_cannot_use_is_refused_by_name(given: str, named: str) -> None:
    with pytest.raises(LabStoreError, match=named):
        store_url(given, CONFIG)


def test_an_unreachable_postgresql_is_refused_naming_it_without_the_password() -> None:
    # Port 1 on loopback: nothing listens there, the connection is refused at once.
    with pytest.raises(LabStoreError) as refused:
        open_store("postgresql://lab:hunter2@127.0.0.1:1/lab?connect_timeout=2")
    assert "127.0.0.1:1/lab" in str(refused.value)
    assert "hunter2" not in str(refused.value)
