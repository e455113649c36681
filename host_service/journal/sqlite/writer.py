"""JournalWriter: commits the journal's changes in batches, in a thread of its own.

Changes arrive as lists of row operations, in the order the registry made
them. The thread takes everything pending and commits it in one transaction
(group commit): a burst of changes costs one commit, and neither the event
loop nor an execution's thread waits for SQLite. Parameters are encoded
(JSON) in this thread, from snapshots taken when the change was made; an
execution's row is written once per batch, with its last state.

The rows of one operation go to SQLite as multi-row statements (`VALUES (..),
(..)`), in chunks of 64, 32, ... 1 rows so that a handful of statement texts
serve every batch size. SQLite releases the GIL around each statement step, and
taking it back waits for the event loop's thread to let go of it (up to a
switch interval, 5 ms): one step per row made a commit of a hundred rows take
several times its CPU time while every response waited for it.

`flushed()` is the visibility barrier: it returns once everything enqueued
before the call is committed. The app awaits it before any response byte
leaves (`JournalBarrier`), so a client never sees a state that the journal lacks.

When the storage fails (disk full, read-only, I/O error), nothing is dropped:
the batch stays pending and is tried again every `RETRY_S`, `problem()` says
why (health shows it, starts are refused with 503), `flushed()` answers False
at once instead of waiting, and the log says so once when writing stops and
once when it works again. A change that cannot be written for its own sake
(its data) is logged and skipped, so it cannot hold the others back.
"""

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from host_service.runtime.logs import execution_logger
from host_service.runtime.loop_calls import settle_all

log = execution_logger("journal")

COMMIT_INTERVAL_S = 0.002  # at most 500 commits a second; a lone change is committed at once
RETRY_S = 0.5  # how often writing is tried again while the storage fails
# SQLite's primary result codes that say the storage, not the change, is at fault.
STORAGE_FAULTS = {
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_NOTADB,
}


class StorageError(Exception):
    """The journal's storage refused a write; the batch is kept and tried again."""


def storage_fault(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, OSError) or (code is not None and code & 0xFF in STORAGE_FAULTS)


CHUNKS = (64, 32, 16, 8, 4, 2, 1)  # rows per statement: few texts for SQLite's statement cache

Params = Callable[[], tuple[Any, ...]]  # encodes a snapshot when the batch is written


@dataclass(frozen=True)
class RowOp:
    """A statement over many rows: `head` + `row` repeated, comma-separated + `tail`.

    `coalesce`: of the rows with one key in a batch, only the last is written.
    """

    head: str
    row: str
    tail: str = ""
    coalesce: bool = False
    _texts: dict[int, str] = field(default_factory=dict, compare=False, repr=False)

    def sql(self, rows: int) -> str:
        text = self._texts.get(rows)
        if text is None:
            text = self._texts[rows] = self.head + ", ".join([self.row] * rows) + self.tail
        return text


Statement = tuple[RowOp, str, Params]  # (operation, key: the execution_id, params)
Change = tuple[str, list[Statement]]  # (what it is, for error messages; its statements)


def chunks(values: list[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    """`values` cut into runs of CHUNKS sizes, largest first."""
    start = 0
    for size in CHUNKS:
        while len(values) - start >= size:
            yield values[start : start + size]
            start += size


class JournalWriter:
    def __init__(
        self, db: sqlite3.Connection, db_lock: threading.Lock, name: str, order: list[RowOp]
    ) -> None:
        """`order`: the operations in the order a batch runs them (dependencies first)."""
        self._db = db
        self._order = order
        self._db_lock = db_lock
        self._name = name
        self._cond = threading.Condition()
        self._pending: list[Change] = []
        self._enqueued = 0
        self._flushed = 0
        self._waiters: list[tuple[int, asyncio.Future[bool]]] = []
        self._closing = False
        self._problem: str | None = None
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._thread.start()

    def enqueue(self, what: str, statements: list[Statement]) -> None:
        with self._cond:
            self._pending.append((what, statements))
            self._enqueued += 1
            self._cond.notify()

    def problem(self) -> str | None:
        """Why the journal cannot write now; None while it writes."""
        return self._problem

    async def flushed(self) -> bool:
        """True once every change enqueued before this call is committed; False at once
        while the storage fails (the changes are kept and written when it recovers)."""
        with self._cond:
            target = self._enqueued
            if self._flushed >= target:
                return True
            if self._problem is not None:
                return False
            future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            self._waiters.append((target, future))
        return await future

    def close(self) -> None:
        """Commit what is pending, then stop the thread."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join()

    def _run(self) -> None:
        last_commit = 0.0
        while True:
            with self._cond:
                while not self._pending and not self._closing:
                    self._cond.wait()
                if not self._pending:
                    return
            # A commit costs tens of microseconds of CPU whatever its size: under load,
            # gather what arrives within COMMIT_INTERVAL_S of the previous one.
            pause = last_commit + COMMIT_INTERVAL_S - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            with self._cond:
                batch, self._pending = self._pending, []
                mark = self._enqueued
            try:
                self._commit(batch)
            except StorageError as fault:
                if self._held(batch, str(fault)):
                    return  # closing: what could not be written is said in the log
                continue
            last_commit = time.monotonic()
            self._done(mark)

    def _held(self, batch: list[Change], reason: str) -> bool:
        """Keep `batch` first in line; wake every waiter with False; True if closing."""
        with self._cond:
            self._pending = batch + self._pending
            if self._problem is None:
                log.error(
                    "journal %s cannot be written: %s; changes are kept and tried again "
                    "every %g s, starts are refused meanwhile",
                    self._name,
                    reason,
                    RETRY_S,
                )
            self._problem = reason
            waiters, self._waiters = self._waiters, []
            if self._closing:
                log.error(
                    "journal %s: %d changes could not be written before the host stopped",
                    self._name,
                    len(self._pending),
                )
                self._pending = []
            closing = self._closing
        settle_all([future for _, future in waiters], False)
        if not closing:
            with self._cond:
                self._cond.wait_for(lambda: self._closing, timeout=RETRY_S)
        return closing

    def _done(self, mark: int) -> None:
        with self._cond:
            if self._problem is not None:
                log.warning("journal %s writes again: %s is over", self._name, self._problem)
                self._problem = None
            self._flushed = mark
            ready = [f for target, f in self._waiters if target <= mark]
            self._waiters = [(t, f) for t, f in self._waiters if t > mark]
        settle_all(ready, True)  # a closed loop: nobody waits

    def _commit(self, batch: list[Change]) -> None:
        try:
            self._transaction([s for _, statements in batch for s in statements])
        except Exception as exc:
            if storage_fault(exc):
                raise StorageError(str(exc)) from exc
            # One bad change must not lose the others: write them one by one.
            for what, statements in batch:
                try:
                    self._transaction(statements)
                except Exception as exc:
                    if storage_fault(exc):
                        raise StorageError(str(exc)) from exc
                    # Serving on beats stopping every execution; the operator sees why here.
                    log.error("journal %s: cannot write %s: %s", self._name, what, exc)

    def _transaction(self, statements: list[Statement]) -> None:
        rows: dict[RowOp, dict[str, Params] | list[Params]] = {
            op: {} if op.coalesce else [] for op in self._order
        }
        for op, key, params in statements:
            group = rows[op]
            if isinstance(group, dict):
                group.pop(key, None)  # the last state goes last, after what it depends on
                group[key] = params
            else:
                group.append(params)
        encoded = [
            (op, [params() for params in (g.values() if isinstance(g, dict) else g)])
            for op, g in rows.items()
            if g
        ]
        with self._db_lock:
            try:
                self._db.execute("BEGIN")
                for op, values in encoded:
                    for chunk in chunks(values):
                        self._db.execute(op.sql(len(chunk)), [v for row in chunk for v in row])
                self._db.execute("COMMIT")
            except Exception:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
