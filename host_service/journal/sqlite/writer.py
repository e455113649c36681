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
"""

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from host_service.runtime.logs import execution_logger
from host_service.runtime.loop_calls import call_soon, resolve

log = execution_logger("journal")

COMMIT_INTERVAL_S = 0.002  # at most 500 commits a second; a lone change is committed at once
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
            self._commit(batch)
            last_commit = time.monotonic()
            with self._cond:
                self._flushed = mark
                ready = [f for target, f in self._waiters if target <= mark]
                self._waiters = [(t, f) for t, f in self._waiters if t > mark]
            for future in ready:
                call_soon(future.get_loop(), resolve, future)  # a closed loop: nobody waits

    def _commit(self, batch: list[Change]) -> None:
        try:
            self._transaction([s for _, statements in batch for s in statements])
        except Exception:
            # One bad change must not lose the others: write them one by one.
            for what, statements in batch:
                try:
                    self._transaction(statements)
                except Exception as exc:
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
