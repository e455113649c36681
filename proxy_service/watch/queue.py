"""QueueWatch: the lab queue (requests waiting for a matching device) as the watch shows it.

Read while someone listens: at once when the proxy relays a start or cancel of a lab
request, when a device changes while requests wait (one of them may have gone to it),
and every `refresh_s` for what this process does not see happen (another replica's
starts, a request's queue wait limit).
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from proxy_service.watch.host import MIN_GAP_S, Publish
from schemas.lab_queue import LabQueuePage

QueueReader = Callable[[], Awaitable[LabQueuePage]]
log = logging.getLogger("device_orchestrator.watch")


class QueueWatch:
    def __init__(self, read: QueueReader, publish: Publish, refresh_s: float) -> None:
        self._read = read
        self._publish = publish
        self._refresh_s = refresh_s
        self._wake = asyncio.Event()
        self.page: LabQueuePage | None = None
        self.read_once = asyncio.Event()

    @property
    def waiting(self) -> bool:
        return self.page is not None and self.page.total > 0

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                page = await self._read()
            except Exception:  # a store that fails now (a database restart) is read again
                log.exception("reading the lab queue failed")
            else:
                if page != self.page:
                    self.page = page
                    self._publish("lab_queue", page.model_dump_json())
            self.read_once.set()
            await asyncio.sleep(MIN_GAP_S)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._refresh_s - MIN_GAP_S):
                    await self._wake.wait()
