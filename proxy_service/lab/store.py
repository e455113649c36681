"""LabStore: the lab tier's database, opened from a URL (SQLite by default, or PostgreSQL).

Every call runs in the store's own threads, never on the event loop. On SQLite that is
one thread (`writer.py`, which commits the calls queued meanwhile together), so the store
has a single writer and a claim is exclusive by construction; on PostgreSQL a small pool,
where claims rely on row locks (`FOR UPDATE SKIP LOCKED`).
"""

import asyncio
import os
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from proxy_service.lab import feed_rows, health_rows, history_rows, history_stats, host_rows
from proxy_service.lab.attempt_ends import Judge
from proxy_service.lab.feed_rows import Advanced
from proxy_service.lab.health_rows import Health
from proxy_service.lab.history_rows import Cursor, HistoryFilter
from proxy_service.lab.host_rows import HostRow
from proxy_service.lab.matrix_store import MatrixCalls, MatrixQueue
from proxy_service.lab.migrate import upgrade
from proxy_service.lab.queue_store import LabQueue, QueueCalls
from proxy_service.lab.url import LabStoreError, shown
from proxy_service.lab.writer import SqliteWriter
from schemas.history import FeedEntry, HistoryItem, HistoryStatsRow, StatsBucket, StatsGroup

T = TypeVar("T")
POSTGRES_POOL = 8  # connections, and threads calling them
IDLE_IN_TRANSACTION_MS = 10_000


def application_name() -> str:
    """How this process's connections show in pg_stat_activity."""
    return f"device-orchestrator-proxy:{os.getpid()}"


class LabStore(LabQueue, MatrixQueue, Protocol):
    """What the lab tier keeps: the host registry, the lab queue and its matrix runs, the
    hosts' feeds and the lab's history."""

    backend: str  # "sqlite" or "postgresql"

    async def load_hosts(self) -> list[HostRow]: ...
    async def load_host(self, name: str) -> HostRow | None: ...
    async def save_host(self, row: HostRow) -> None: ...
    async def remove_host(self, name: str) -> None: ...
    async def feed_position(self, host_name: str) -> tuple[int, list[int]]: ...
    async def advance_feed(
        self,
        host_name: str,
        entries: list[FeedEntry],
        *,
        after: int | None,
        pending: list[int],
        settled: list[int],
        judge: Judge,
    ) -> Advanced: ...
    async def restart_feed(self, host_name: str) -> None: ...
    async def history(
        self, where: HistoryFilter, after: Cursor | None, limit: int
    ) -> tuple[list[HistoryItem], Cursor | None]: ...
    async def history_stats(
        self, where: HistoryFilter, group: StatsGroup, bucket: StatsBucket
    ) -> list[HistoryStatsRow]: ...
    async def history_view(self, host_name: str, execution_id: str) -> bytes | None: ...
    async def device_health(self) -> dict[tuple[str, str], Health]: ...
    async def hold_device(
        self, host_name: str, device_id: str, state: str | None, reason: str
    ) -> Health: ...
    async def close(self) -> None: ...


def _sqlite_pragmas(connection: sqlite3.Connection, _: Any) -> None:
    # Transactions are SQLAlchemy's (BEGIN at its begin, below), not pysqlite's implicit
    # ones: pysqlite opens one only before a write, so a SAVEPOINT came first and its
    # RELEASE committed (every claim of a tick, every call of a writer batch, on its own).
    connection.isolation_level = None
    # WAL: readers never wait for the writer; NORMAL: a commit is a WAL append, no fsync.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA busy_timeout=5000")


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def create_store_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, pool_size=1)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        pool_size=POSTGRES_POOL,
        max_overflow=0,
        pool_pre_ping=True,
        connect_args={
            # Which replica holds a connection, in pg_stat_activity.
            "application_name": application_name(),
            # The store's transactions never wait on anything but SQL: one idle this long
            # is a hung replica (paused VM, stopped process), and the server ends it so
            # that its row locks stop holding up the other replicas.
            "options": f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}",
        },
    )


class SqlLabStore(QueueCalls, MatrixCalls):
    """The store on SQLAlchemy Core; the same statements on both databases (see `sql.py`)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.backend = engine.dialect.name
        # SQLite: one writer thread, committing what queued meanwhile together (writer.py).
        self._writer = SqliteWriter(engine) if self.backend == "sqlite" else None
        self._threads = ThreadPoolExecutor(
            max_workers=POSTGRES_POOL, thread_name_prefix="lab-store"
        )
        # The server processes behind this store's connections: notices they send are this
        # process's own changes, which it has acted on already (replicas.py).
        self.backend_pids: set[int] = set()
        if self.backend == "postgresql":
            event.listen(engine, "connect", self._connected)
            engine.dispose()  # the connections made before (migrations) are not counted

    def _connected(self, connection: Any, _: Any) -> None:
        self.backend_pids.add(connection.info.backend_pid)

    @property
    def engine(self) -> Engine:
        return self._engine

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction (on SQLite, maybe with others), in a store thread."""
        if self._writer is not None:
            return await self._writer.run(work)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._transaction, work)

    def _transaction(self, work: Callable[[Connection], T]) -> T:
        with self._engine.begin() as connection:
            return work(connection)

    async def load_hosts(self) -> list[HostRow]:
        return await self.run(host_rows.load)

    async def load_host(self, name: str) -> HostRow | None:
        return await self.run(partial(host_rows.load_one, name=name))

    async def save_host(self, row: HostRow) -> None:
        await self.run(partial(host_rows.save, row=row))

    async def remove_host(self, name: str) -> None:
        await self.run(partial(host_rows.remove, name=name))

    async def feed_position(self, host_name: str) -> tuple[int, list[int]]:
        return await self.run(partial(feed_rows.position, host_name=host_name))

    async def advance_feed(
        self,
        host_name: str,
        entries: list[FeedEntry],
        *,
        after: int | None,
        pending: list[int],
        settled: list[int],
        judge: Judge,
    ) -> Advanced:
        work = partial(
            feed_rows.advance,
            host_name=host_name,
            entries=entries,
            after=after,
            pending=pending,
            settled=settled,
            judge=judge,
            now=time.time(),
        )
        return await self.run(work)

    async def restart_feed(self, host_name: str) -> None:
        await self.run(partial(feed_rows.restart, host_name=host_name))

    async def history(
        self, where: HistoryFilter, after: Cursor | None, limit: int
    ) -> tuple[list[HistoryItem], Cursor | None]:
        return await self.run(partial(history_rows.page, f=where, after=after, limit=limit))

    async def history_stats(
        self, where: HistoryFilter, group: StatsGroup, bucket: StatsBucket
    ) -> list[HistoryStatsRow]:
        return await self.run(partial(history_stats.stats, f=where, group=group, bucket=bucket))

    async def history_view(self, host_name: str, execution_id: str) -> bytes | None:
        return await self.run(
            partial(history_rows.view, host_name=host_name, execution_id=execution_id)
        )

    async def device_health(self) -> dict[tuple[str, str], Health]:
        return await self.run(health_rows.every)

    async def hold_device(
        self, host_name: str, device_id: str, state: str | None, reason: str
    ) -> Health:
        work = partial(
            health_rows.hold,
            host_name=host_name,
            device_id=device_id,
            state=state,
            reason=reason,
            now=time.time(),
        )
        return await self.run(work)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._threads is not None:
            self._threads.shutdown(wait=True)
        self._engine.dispose()


def _cause(exc: Exception) -> str:
    """The driver's own message on one line, without SQLAlchemy's background link."""
    orig = getattr(exc, "orig", None) or exc
    return " ".join(str(orig).split())


def open_lab_store(url: URL) -> SqlLabStore:
    """Connect and migrate to the newest schema; LabStoreError names the database and cause."""
    try:
        engine = create_store_engine(url)
    except (OSError, SQLAlchemyError) as exc:
        raise LabStoreError(f"cannot open lab store {shown(url)}: {_cause(exc)}") from exc
    try:
        upgrade(engine)
    except (OSError, SQLAlchemyError) as exc:
        engine.dispose()
        raise LabStoreError(f"cannot open lab store {shown(url)}: {_cause(exc)}") from exc
    return SqlLabStore(engine)
