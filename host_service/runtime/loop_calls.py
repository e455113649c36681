"""Calls from worker threads into the event loop, safe once the loop has closed."""

import asyncio
import contextlib
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


def call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: Any) -> None:
    """Run `callback` on `loop` from any thread; nothing to do once the loop closed."""
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(callback, *args)
