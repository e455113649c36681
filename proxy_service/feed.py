"""FeedFollower: reads every host's feed of finished executions into the lab history, and
the ends of the lab's dispatched attempts from it.

Each host's feed lists its executions in creation order past a cursor. Finished ones are
recorded; those still queued or running are kept as pending and asked for again by number
until they finish (or the host evicts them). The cursor, the pending numbers, the recorded
executions and the attempts they end (`lab/attempt_ends.py`) move in one transaction, and
an execution already recorded is left as it is, so a proxy or host restarted at any point
catches up where it stopped: nothing is recorded twice, nothing is skipped. A host whose
journal starts again below the cursor (memory lost, or every execution evicted) is read
again from the start.

One reader per host reads on and on: the pending numbers and the page past the cursor in
one call, long-polled (the host answers once one of its executions ends), so the lab hears
of an end within a round trip, and of many ends with one call. Two readings of one host at
once (another replica's, a test's `round`) are safe: each step is conditional, as above.
"""

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from proxy_service.client import HostClient
from proxy_service.dispatcher import Dispatcher
from proxy_service.errors import HostAnsweredError, ProxyError
from proxy_service.hosts import HostEntry, HostRegistry
from proxy_service.lab import LabStore
from schemas import HostStatus
from schemas.history import ExecutionFeed

log = logging.getLogger("device_orchestrator.feed")

PAGE = 200  # executions per feed page
NUMBERS = 200  # pending executions asked for per call
WAIT_S = 20.0  # one long-poll of a host's feed


@dataclass(frozen=True)
class Position:
    after: int
    pending: list[int]


class FeedFollower:
    def __init__(
        self,
        registry: HostRegistry,
        client: HostClient,
        store: LabStore,
        interval_s: float,
        dispatcher: Dispatcher,
    ) -> None:
        self._registry = registry
        self._client = client
        self._store = store
        self._interval_s = interval_s
        self._dispatcher = dispatcher
        self._readers: dict[str, asyncio.Task[None]] = {}
        self._closed = False

    async def _reading(
        self, entry: HostEntry, numbers: list[int], after: int | None, wait: float
    ) -> tuple[ExecutionFeed, Position | None]:
        """One call (the `numbers` asked again, the page past `after`) and its transaction;
        the position after it, None when the host's journal started again (read it from 0)."""
        params = {"numbers": numbers or None, "after": after, "limit": PAGE, "wait": wait or None}
        response = await self._client.long_poll(entry, "/executions/feed", params, wait)
        feed = HostClient.validated(ExecutionFeed, entry, response)
        if after is not None and feed.newest < after:
            log.warning(
                "host %s: its journal starts again below %d; reading it again from the start",
                entry.name,
                after,
            )
            await self._store.restart_feed(entry.name)
            return feed, None
        running = set(feed.unfinished)
        advanced = await self._store.advance_feed(
            entry.name,
            feed.items,
            after=None if after is None else feed.next_after,
            pending=feed.unfinished,
            settled=[n for n in numbers if n not in running],  # finished now, or evicted
            judge=self._dispatcher.judge(),
        )
        self._dispatcher.ended(advanced.ends)
        return feed, Position(advanced.after, advanced.pending)

    async def follow(
        self, entry: HostEntry, wait: float = 0, position: Position | None = None
    ) -> tuple[Position, bool]:
        """Read one host's feed up to now, from `position` (else the store's); the first call
        waits up to `wait` for an end when it asks for everything pending. The position
        after it, and whether it could wait (not too many pending for one call)."""
        if position is None:
            position = Position(*await self._store.feed_position(entry.name))
        pending = position.pending
        windows = [pending[n : n + NUMBERS] for n in range(0, len(pending), NUMBERS)] or [[]]
        for window in windows[:-1]:  # more pending than one call asks: by number first
            await self._reading(entry, window, None, 0)
        waits = len(windows) == 1
        numbers, after, wait = windows[-1], position.after, wait if waits else 0
        while True:
            feed, read = await self._reading(entry, numbers, after, wait)
            if read is None:  # the journal started again: from its start, in this pass
                numbers, after, wait = [], 0, 0
                continue
            if not after < feed.next_after < feed.newest:  # no page left behind
                return read, waits
            numbers, after, wait = [], feed.next_after, 0

    async def round(self) -> None:
        """Read every host that is not offline up to now, concurrently, without waiting."""
        hosts = [e for e in self._registry if self._registry.status(e) is not HostStatus.offline]
        outcomes = await asyncio.gather(
            *(self._follow_quietly(e) for e in hosts), return_exceptions=True
        )
        for entry, outcome in zip(hosts, outcomes, strict=True):
            if isinstance(outcome, Exception):  # the store failed: the next reading retries
                log.error("host %s: feed not recorded: %r", entry.name, outcome)

    async def _follow_quietly(
        self, entry: HostEntry, wait: float = 0, position: Position | None = None
    ) -> Position | None:
        """A pass over the host's feed; the position after it when the next pass may
        long-poll, else None (also when it could not be read: logged)."""
        try:
            position, waits = await self.follow(entry, wait, position)
        except HostAnsweredError as exc:  # no journal (409), or a host without the feed
            self._dispatcher.fed(entry.name, False)
            log.info("host %s offers no feed: %s", entry.name, exc.body().message)
            return None
        except ProxyError as exc:
            log.info("host %s: feed not read: %s", entry.name, exc.message)
            return None
        self._dispatcher.fed(entry.name, True)
        return position if waits else None

    async def _read_on(self, name: str) -> None:
        """Read one host's feed, long-polled, while it is known and not offline (and the
        proxy is not stopping: its long-polls are answered at once then); after a failure,
        or with too much pending for one call, at the rhythm of `interval_s`."""
        position: Position | None = None
        while name in self._registry and not self._client.stopping.begun:
            entry = self._registry.get(name)
            if self._registry.status(entry) is HostStatus.offline:
                return  # `run` reads it again once it is back
            try:
                position = await self._follow_quietly(entry, WAIT_S, position)
            except Exception:  # the store failed: the next reading retries
                log.exception("host %s: feed not recorded", name)
                position = None
            if position is None:
                await asyncio.sleep(self._interval_s)

    async def run(self) -> None:
        """A reader for every host that is not offline, looked at every `interval_s`."""
        while not self._closed:
            for entry in self._registry:
                reader = self._readers.get(entry.name)
                offline = self._registry.status(entry) is HostStatus.offline
                if not offline and (reader is None or reader.done()):
                    self._readers[entry.name] = asyncio.create_task(
                        self._read_on(entry.name), name=f"feed-{entry.name}"
                    )
            await asyncio.sleep(self._interval_s)

    async def close(self) -> None:
        """Stop reading (at shutdown; the next start resumes where the store says)."""
        self._closed = True
        readers = list(self._readers.values())
        for reader in readers:
            reader.cancel()
        for reader in readers:
            with contextlib.suppress(asyncio.CancelledError):
                await reader
