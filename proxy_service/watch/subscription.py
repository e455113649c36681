"""One listener of the lab watch: a bounded queue of serialised events."""

import asyncio
from collections.abc import Callable

Event = tuple[str, str]  # (SSE event name, JSON data)

QUEUE_LIMIT = 2_000  # a listener this far behind gets a fresh snapshot instead
_RESYNC: Event = ("resync", "")


class Subscription:
    """Events for one listener, in order; a listener that falls behind starts over.

    A browser tab that stops reading (a laptop put to sleep) must not make the proxy
    keep every change for it: past `QUEUE_LIMIT` its backlog is dropped and the next
    event it reads is a new snapshot, which says everything the backlog did.
    """

    def __init__(self, snapshot: Callable[[], str], limit: int = QUEUE_LIMIT) -> None:
        self._snapshot = snapshot
        self._limit = limit
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self._behind = False
        self.first: Event = ("snapshot", snapshot())

    def put(self, event: Event) -> None:
        if self._behind:
            return
        if self._queue.qsize() >= self._limit:
            while not self._queue.empty():
                self._queue.get_nowait()
            self._behind = True
            self._queue.put_nowait(_RESYNC)
            return
        self._queue.put_nowait(event)

    async def next(self) -> Event:
        event = await self._queue.get()
        if event is _RESYNC:
            self._behind = False
            return "snapshot", self._snapshot()
        return event
