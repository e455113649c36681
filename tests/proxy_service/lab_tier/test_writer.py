"""The SQLite store's writer: calls queued while it writes share one transaction, each in
its own savepoint."""

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, select
from sqlalchemy.engine import Connection

from proxy_service.lab.writer import SqliteWriter

rows = Table("rows", MetaData(), Column("n", Integer, primary_key=True))


async def test_a_failing_call_of_a_batch_loses_its_own_work_only(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    rows.metadata.create_all(engine)
    writer = SqliteWriter(engine)
    busy, go = threading.Event(), threading.Event()
    transactions: list[object] = []

    def first(connection: Connection) -> int:
        busy.set()
        go.wait(5)  # the others queue meanwhile: one batch
        return 0

    def insert(n: int, fails: bool = False) -> Callable[[Connection], int]:
        def work(connection: Connection) -> int:
            transactions.append(connection.get_transaction())
            connection.execute(rows.insert(), {"n": n})
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
        assert len(transactions) == 3
        assert len(set(map(id, transactions))) == 1  # one batch, one transaction
        with engine.connect() as connection:
            assert list(connection.execute(select(rows.c.n)).scalars()) == [1, 3]
    finally:
        writer.close()
        engine.dispose()
