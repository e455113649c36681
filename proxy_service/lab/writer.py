"""SqliteWriter: the SQLite store's one thread, committing together what queued meanwhile.

SQLite has one writer, so every call of the store runs in one thread, one after the other.
A commit (a WAL append) costs more than most of the statements it commits, and every call
costs a trip to the thread and back; under load, many calls queue while one runs. The
writer takes what is queued (up to `BATCH` calls), runs each call in a savepoint of one
transaction and commits once: a call that fails rolls back its own work only and its
caller gets its exception; a commit that fails fails every call of the batch, as each
would have failed alone. Callers are answered after the commit, with one wake of their
event loop per batch.
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
        outcomes: list[Outcome] = []
        try:
            with self._engine.begin() as connection:
                if len(batch) == 1:  # alone: no savepoint to pay for
                    work, _, future = batch[0]
                    outcomes.append((future, work(connection), None))
                    return outcomes
                for work, _, future in batch:
                    try:
                        with connection.begin_nested():
                            outcomes.append((future, work(connection), None))
                    except Exception as exc:  # its own work is rolled back; the others stay
                        outcomes.append((future, None, exc))
        except Exception as exc:  # nothing of the batch is written
            return [(future, None, exc) for _, _, future in batch]
        return outcomes
