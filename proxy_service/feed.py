"""FeedFollower: reads every host's feed of finished executions into the lab history.

Each host's feed lists its executions in creation order past a cursor. Finished ones are
recorded; those still queued or running are kept as pending and asked for again by number
until they finish (or the host evicts them). The cursor, the pending numbers and the
recorded executions move in one transaction, and an execution already recorded is left as
it is, so a proxy or host restarted at any point catches up where it stopped: nothing is
recorded twice, nothing is skipped. A host whose journal starts again below the cursor
(memory lost, or every execution evicted) is read again from the start.
"""

import asyncio
import contextlib
import logging

from proxy_service.client import HostClient
from proxy_service.errors import HostAnsweredError, ProxyError
from proxy_service.hosts import HostEntry, HostRegistry
from proxy_service.lab import LabStore
from schemas import HostStatus
from schemas.history import ExecutionFeed

log = logging.getLogger("device_orchestrator.feed")

PAGE = 200  # executions per feed page
NUMBERS = 200  # pending executions asked for per call


class FeedFollower:
    def __init__(
        self, registry: HostRegistry, client: HostClient, store: LabStore, interval_s: float
    ) -> None:
        self._registry = registry
        self._client = client
        self._store = store
        self._interval_s = interval_s
        self._locks: dict[str, asyncio.Lock] = {}

    async def _read(self, entry: HostEntry, params: dict[str, object]) -> ExecutionFeed:
        response = await self._client.send(entry, "GET", "/executions/feed", params=params)
        return HostClient.validated(ExecutionFeed, entry, response)

    async def follow(self, entry: HostEntry) -> None:
        """Read one host's feed up to now; one reader per host at a time in this process."""
        async with self._locks.setdefault(entry.name, asyncio.Lock()):
            after, pending = await self._store.feed_position(entry.name)
            for start in range(0, len(pending), NUMBERS):
                await self._settle(entry, pending[start : start + NUMBERS])
            await self._catch_up(entry, after)

    async def _settle(self, entry: HostEntry, numbers: list[int]) -> None:
        feed = await self._read(entry, {"numbers": numbers, "limit": len(numbers)})
        running = set(feed.unfinished)
        settled = [n for n in numbers if n not in running]  # finished now, or evicted
        await self._store.advance_feed(
            entry.name, feed.items, after=None, pending=[], settled=settled
        )

    async def _catch_up(self, entry: HostEntry, after: int) -> None:
        restarted = False
        while True:
            feed = await self._read(entry, {"after": after, "limit": PAGE})
            if feed.newest < after and not restarted:
                log.warning(
                    "host %s: its journal starts again below %d; reading it again from the start",
                    entry.name,
                    after,
                )
                await self._store.restart_feed(entry.name)
                after, restarted = 0, True
                continue
            await self._store.advance_feed(
                entry.name, feed.items, after=feed.next_after, pending=feed.unfinished, settled=[]
            )
            if feed.next_after <= after or feed.next_after >= feed.newest:
                return
            after = feed.next_after

    async def round(self) -> None:
        """Follow every host that is not offline, concurrently; a failing host is skipped."""
        hosts = [e for e in self._registry if self._registry.status(e) is not HostStatus.offline]
        outcomes = await asyncio.gather(
            *(self._follow_quietly(e) for e in hosts), return_exceptions=True
        )
        for entry, outcome in zip(hosts, outcomes, strict=True):
            if isinstance(outcome, Exception):  # the store failed: the next round retries
                log.error("host %s: feed not recorded: %r", entry.name, outcome)

    async def _follow_quietly(self, entry: HostEntry) -> None:
        try:
            await self.follow(entry)
        except HostAnsweredError as exc:
            log.info("host %s offers no feed: %s", entry.name, exc.body().message)
        except ProxyError as exc:
            log.info("host %s: feed not read: %s", entry.name, exc.message)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self._interval_s)
            with contextlib.suppress(Exception):  # one bad round must not end the following
                await self.round()
