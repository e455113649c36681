"""Stopping: the signal that a service has begun a graceful stop.

Set by `service_common.serving` the moment the server starts shutting down (SIGTERM,
Ctrl-C), before it waits for open connections to close. Long-polls and event streams
watch it and end at once, so a stop takes milliseconds instead of the longest open
`wait` (up to 60 s). One per app, kept in `app.state`; tests set it themselves.
"""

import asyncio
from collections.abc import Awaitable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

T = TypeVar("T")


class Stopping:
    def __init__(self) -> None:
        self._event = asyncio.Event()

    def begin(self) -> None:
        self._event.set()

    @property
    def begun(self) -> bool:
        return self._event.is_set()

    async def wait(self) -> None:
        await self._event.wait()

    async def race(self, work: Awaitable[T]) -> tuple[bool, T | None]:
        """Run `work` unless the stop begins first: `(True, result)`, or `(False, None)`
        with `work` cancelled."""
        if self.begun:
            if asyncio.iscoroutine(work):
                work.close()
            return False, None
        task = asyncio.ensure_future(work)
        stop = asyncio.ensure_future(self._event.wait())
        try:
            await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            stop.cancel()
        if task.done():
            return True, task.result()
        task.cancel()
        await asyncio.wait({task})  # let it unwind; this does not raise its CancelledError
        return False, None


def stopping_of(app: Any) -> Stopping:
    """The app's `Stopping`, created on first use."""
    state = app.state
    found: Stopping | None = getattr(state, "stopping", None)
    if found is None:
        found = Stopping()
        state.stopping = found
    return found


async def request_stopping(request: Request) -> Stopping:
    # async: a sync dependency would cost every request a hop to a worker thread.
    return stopping_of(request.app)


StoppingDep = Annotated[Stopping, Depends(request_stopping)]
