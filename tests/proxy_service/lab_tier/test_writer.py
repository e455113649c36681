"""The SQLite store's writer: calls queued while it writes share one transaction, each in
its own savepoint."""

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, select
from sqlalchemy.engine import Connection, make_url

from proxy_service.lab.store import create_store_engine
from proxy_service.lab.writer import SqliteWriter

rows = Table("rows", MetaData(), Column("n", Integer, primary_key=True))


async def test_calls_queued_meanwhile_commit_together_and_a_failing_one_alone_is_lost(
    tmp_path: Path,
) -> None:
    engine = create_store_engine(make_url(f"sqlite:///{tmp_path / 'w.sqlite3'}"))
    rows.metadata.create_all(engine)
    writer = SqliteWriter(engine)
    busy, go = threading.Event(), threading.Event()
    seen_outside: list[int] = []

    def first(connection: Connection) -> int:
        busy.set()
        go.wait(5)  # the others queue meanwhile: one batch
        return 0

    def insert(n: int, fails: bool = False) -> Callable[[Connection], int]:
        def work(connection: Connection) -> int:
            connection.execute(rows.insert(), {"n": n})
            with engine.connect() as other:  # what another reader sees before the commit
                seen_outside.append(other.execute(select(func.count()).select_from(rows)).one()[0])
            if fails:
                raise ValueError(f"call {n} failed")
            return n

        return work

    try:
        held = asyncio.create_task(writer.run(first))
        await asyncio.to_thread(busy.wait, 5)
        calls = [asyncio.create_task(writer.run(insert(n, fails=n == 2))) for n in (1, 2, 3)]
        await asyncio.sleep(0)  # every call queued before the first returns
        go.set()
        assert await held == 0
        assert await calls[0] == 1
        with pytest.raises(ValueError, match="call 2 failed"):
            await calls[1]
        assert await calls[2] == 3
        assert seen_outside == [0, 0, 0]  # nothing committed until the batch's end
        with engine.connect() as connection:
            assert list(connection.execute(select(rows.c.n)).scalars()) == [1, 3]
    finally:
        writer.close()
        engine.dispose()
