"""Fixtures of the lab tier's tests: every store test runs on SQLite and on a real PostgreSQL."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import PostgresServer, postgres_server


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One server for the session; each test takes a database of its own."""
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty lab store's URL, on each of the two databases the store supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'lab.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()
