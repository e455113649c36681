"""Calls from worker threads into the event loop, safe once the loop has closed."""

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def settle(future: "asyncio.Future[T]", value: T) -> None:
    """Complete `future` with `value` unless it is already done (or was cancelled).

    On its loop only."""
    if not future.done():
        future.set_result(value)


def resolve(future: "asyncio.Future[None]") -> None:
    settle(future, None)


def settle_all(futures: "list[asyncio.Future[T]]", value: T) -> None:
    """Complete every future of one loop with `value` in one call from another thread:
    one wake of the loop for all (each `call_soon_threadsafe` is a system call)."""
    loops: dict[asyncio.AbstractEventLoop, list[asyncio.Future[T]]] = {}
    for future in futures:
        loops.setdefault(future.get_loop(), []).append(future)
    for loop, waiting in loops.items():
        call_soon(loop, _settle_each, waiting, value)


def _settle_each(futures: "list[asyncio.Future[T]]", value: T) -> None:
    for future in futures:
        settle(future, value)


def call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: Any) -> None:
    """Run `callback` on `loop` from any thread; nothing to do once the loop closed."""
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(callback, *args)


class LoopCalls:
    """Calls from worker threads into one event loop, one wake-up for all that wait.

    `call_soon_threadsafe` writes to the loop's self-pipe on every call: a system call
    for the thread and an epoll wake for the loop, per call. Executions finishing on 50
    devices, and the journal settling every response waiting for a commit, made that
    the largest cost of a zero-latency execution (bench/README.md). Calls posted here
    run on the loop in the order posted, and only the first of those posted between
    two turns of the loop wakes it.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._calls: deque[tuple[Callable[..., None], tuple[Any, ...]]] = deque()
        self._scheduled = False

    def post(self, callback: Callable[..., None], *args: Any) -> None:
        """Run `callback(*args)` on the loop soon; from any thread, also once it closed."""
        self._calls.append((callback, args))
        if not self._scheduled:  # a race here only costs a second, empty drain
            self._scheduled = True
            call_soon(self._loop, self._drain)

    def _drain(self) -> None:
        self._scheduled = False  # first: a call posted from now on schedules its own drain
        calls = self._calls
        while calls:
            callback, args = calls.popleft()
            try:
                callback(*args)
            except Exception as exc:  # as the loop's own callbacks: reported, not fatal
                self._loop.call_exception_handler(
                    {"message": f"exception in {callback!r}", "exception": exc}
                )
