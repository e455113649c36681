"""SqliteWriter: the SQLite store's one thread, committing together what queued meanwhile.

SQLite has one writer, so every call of the store runs in one thread, one after the other.
A commit (a WAL append) costs more than most of the statements it commits, and every call
costs a trip to the thread and back; under load, many calls queue while one runs. The
writer takes what is queued (up to `BATCH` calls), runs them in one transaction and
commits once. Should one of them fail (or the commit), the batch is rolled back and each
call runs again in its own transaction, so a failing call loses its own work only and its
caller gets its exception. (A savepoint per call would do the same, at a cost close to a
commit's.) Calls are the store's functions of a connection, which touch nothing but the
database, so running one again after a rollback is running it once. Callers are answered
after the commit, with one wake of their event loop per batch.
"""

import asyncio
import collections
import contextlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine

T = TypeVar("T")
BATCH = 64  # calls in one transaction, at most

Call = tuple[Callable[[Connection], Any], asyncio.AbstractEventLoop, asyncio.Future[Any]]
Outcome = tuple[asyncio.Future[Any], Any, BaseException | None]


def _settle(outcomes: list[Outcome]) -> None:
    for future, result, error in outcomes:
        if future.cancelled():
            continue
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)


class SqliteWriter:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: collections.deque[Call] = collections.deque()
        self._cond = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="lab-store", daemon=True)
        self._thread.start()

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in the writer's thread; its changes are committed when this returns."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._cond:
            if self._closing:
                raise RuntimeError("the lab store is closed")
            self._queue.append((work, loop, future))
            self._cond.notify()
        return await future

    def close(self) -> None:
        """Write what is queued, then stop the thread."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closing:
                    self._cond.wait()
                if not self._queue:
                    return
                batch = [self._queue.popleft() for _ in range(min(BATCH, len(self._queue)))]
            by_loop: dict[asyncio.AbstractEventLoop, list[Outcome]] = {}
            for (_, loop, _), outcome in zip(batch, self._write(batch), strict=True):
                by_loop.setdefault(loop, []).append(outcome)
            for loop, outcomes in by_loop.items():
                with contextlib.suppress(RuntimeError):  # its loop closed: nobody waits
                    loop.call_soon_threadsafe(_settle, outcomes)

    def _write(self, batch: list[Call]) -> list[Outcome]:
        """The batch in one transaction; if a call fails, each again in its own."""
        if len(batch) > 1:
            # Rolled back on any failure: nothing of the batch is written; each runs alone.
            with contextlib.suppress(Exception), self._engine.begin() as connection:
                return [(future, work(connection), None) for work, _, future in batch]
        outcomes: list[Outcome] = []
        for work, _, future in batch:
            try:
                with self._engine.begin() as connection:
                    outcomes.append((future, work(connection), None))
            except Exception as exc:
                outcomes.append((future, None, exc))
        return outcomes
