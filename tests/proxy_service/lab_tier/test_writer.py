"""The SQLite store's writer: calls queued while it writes commit in one transaction; a
failing one loses its own work only."""

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, select
from sqlalchemy.engine import Connection, Engine, make_url

from proxy_service.lab.store import create_store_engine
from proxy_service.lab.writer import SqliteWriter

rows = Table("rows", MetaData(), Column("n", Integer, primary_key=True))


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    made = create_store_engine(make_url(f"sqlite:///{tmp_path / 'w.sqlite3'}"))
    rows.metadata.create_all(made)
    yield made
    made.dispose()


async def one_batch(writer: SqliteWriter, works: list[Callable[[Connection], Any]]) -> list[Any]:
    """Run `works` queued behind a call that holds the writer: one batch. Their outcomes."""
    busy, go = threading.Event(), threading.Event()

    def hold(connection: Connection) -> None:
        busy.set()
        go.wait(5)

    held = asyncio.create_task(writer.run(hold))
    await asyncio.to_thread(busy.wait, 5)
    calls = [asyncio.create_task(writer.run(work)) for work in works]
    await asyncio.sleep(0)  # every call queued before the holding one returns
    go.set()
    await held
    return await asyncio.gather(*calls, return_exceptions=True)


def count(engine: Engine) -> int:
    with engine.connect() as other:
        return int(other.execute(select(func.count()).select_from(rows)).scalar_one())


async def test_calls_queued_meanwhile_are_committed_together(engine: Engine) -> None:
    writer = SqliteWriter(engine)
    seen_outside: list[int] = []

    def insert(n: int) -> Callable[[Connection], int]:
        def work(connection: Connection) -> int:
            connection.execute(rows.insert(), {"n": n})
            seen_outside.append(count(engine))  # another reader, before the commit
            return n

        return work

    try:
        assert await one_batch(writer, [insert(n) for n in (1, 2, 3)]) == [1, 2, 3]
        assert seen_outside == [0, 0, 0]
        assert count(engine) == 3
    finally:
        writer.close()


async def test_a_failing_call_of_a_batch_loses_its_own_work_only(engine: Engine) -> None:
    writer = SqliteWriter(engine)

    def insert(n: int, fails: bool = False) -> Callable[[Connection], int]:
        def work(connection: Connection) -> int:
            connection.execute(rows.insert(), {"n": n})
            if fails:
                raise ValueError(f"call {n} failed")
            return n

        return work

    try:
        one, two, three = await one_batch(writer, [insert(1), insert(2, True), insert(3)])
        assert (one, three) == (1, 3)
        assert isinstance(two, ValueError)
        with engine.connect() as connection:
            assert list(connection.execute(select(rows.c.n)).scalars()) == [1, 3]
    finally:
        writer.close()
