"""JournalWriter: commits the journal's changes in batches, in a thread of its own.

Changes arrive as lists of SQL statements, in the order the registry made
them. The thread takes everything pending and commits it in one transaction
(group commit): a burst of changes costs one commit, and neither the event
loop nor an execution's thread waits for SQLite. `flushed()` is the
visibility barrier: it returns once everything enqueued before the call is
committed. The app awaits it before any response byte leaves
(`JournalBarrier`), so a client never sees a state that the journal lacks.
"""

import asyncio
import contextlib
import sqlite3
import threading
from typing import Any

from host_service.logs import execution_logger

log = execution_logger("journal")

Statement = tuple[str, tuple[Any, ...]]
Change = tuple[str, list[Statement]]  # (what it is, for error messages; its statements)
UPDATE_PREFIX = "UPDATE executions"


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _coalesce(batch: list[Change]) -> list[Statement]:
    """The batch as one list; an execution's row is updated once, with its last state."""
    statements = [s for _, change in batch for s in change]
    seen: set[object] = set()
    kept: list[Statement] = []
    for sql, params in reversed(statements):
        if sql.lstrip().startswith(UPDATE_PREFIX):
            execution_id = params[-1]
            if execution_id in seen:
                continue
            seen.add(execution_id)
        kept.append((sql, params))
    kept.reverse()
    return kept


class JournalWriter:
    def __init__(self, db: sqlite3.Connection, db_lock: threading.Lock, name: str) -> None:
        self._db = db
        self._db_lock = db_lock
        self._name = name
        self._cond = threading.Condition()
        self._pending: list[Change] = []
        self._enqueued = 0
        self._flushed = 0
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._thread.start()

    def enqueue(self, what: str, statements: list[Statement]) -> None:
        with self._cond:
            self._pending.append((what, statements))
            self._enqueued += 1
            self._cond.notify()

    async def flushed(self) -> None:
        """Return once every change enqueued before this call is committed."""
        with self._cond:
            target = self._enqueued
            if self._flushed >= target:
                return
            future = asyncio.get_running_loop().create_future()
            self._waiters.append((target, future))
        await future

    def close(self) -> None:
        """Commit what is pending, then stop the thread."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closing:
                    self._cond.wait()
                if not self._pending:
                    return
                batch, self._pending = self._pending, []
                mark = self._enqueued
            self._commit(batch)
            with self._cond:
                self._flushed = mark
                ready = [f for target, f in self._waiters if target <= mark]
                self._waiters = [(t, f) for t, f in self._waiters if t > mark]
            for future in ready:
                with contextlib.suppress(RuntimeError):  # its loop has closed: nobody waits
                    future.get_loop().call_soon_threadsafe(_resolve, future)

    def _commit(self, batch: list[Change]) -> None:
        try:
            self._transaction(_coalesce(batch))
        except Exception:
            # One bad change must not lose the others: write them one by one.
            for what, statements in batch:
                try:
                    self._transaction(statements)
                except Exception as exc:
                    # Serving on beats stopping every execution; the operator sees why here.
                    log.error("journal %s: cannot write %s: %s", self._name, what, exc)

    def _transaction(self, statements: list[Statement]) -> None:
        with self._db_lock:
            try:
                self._db.execute("BEGIN")
                for sql, params in statements:
                    self._db.execute(sql, params)
                self._db.execute("COMMIT")
            except Exception:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
