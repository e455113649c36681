"""LabWatch: the lab's hosts and devices, kept current while someone watches.

One watch serves every listener of `GET /server/watch` (the dashboard's wall, its
executions page, any client). It reads nothing while nobody listens: the first
listener starts a `HostWatch` per host of the registry, and they stop `linger_s`
after the last one left, so moving from page to page does not start it again.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from proxy_service.client import HostClient
from proxy_service.hosts import HostRegistry
from proxy_service.watch.budget import FollowBudget
from proxy_service.watch.host import HostWatch
from proxy_service.watch.queue import QueueReader, QueueWatch
from proxy_service.watch.subscription import Subscription
from schemas.watch import LabSnapshot, WatchHostRemoved

LINGER_S = 5.0


class LabWatch:
    def __init__(
        self,
        registry: HostRegistry,
        client: HostClient,
        *,
        refresh_s: float,
        max_followed: int,
        first_read_s: float,
        linger_s: float = LINGER_S,
        queue: QueueReader | None = None,
    ) -> None:
        """`queue` reads the lab queue (waiting lab requests); without it none is shown."""
        self._registry = registry
        self._client = client
        self._refresh_s = refresh_s
        self._first_read_s = first_read_s
        self._linger_s = linger_s
        self._budget = FollowBudget(max_followed)
        self._hosts: dict[str, tuple[HostWatch, asyncio.Task[None]]] = {}
        self._queue_reader = queue
        self._queue: tuple[QueueWatch, asyncio.Task[None]] | None = None
        self._listeners: set[Subscription] = set()
        self._supervisor: asyncio.Task[None] | None = None
        self._linger: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._supervisor is not None

    def wake(self, host_name: str) -> None:
        """Read this host now: something changed there (a start or cancel we relayed)."""
        found = self._hosts.get(host_name)
        if found is not None:
            found[0].wake()

    def wake_queue(self) -> None:
        """Read the lab queue now: a lab request was started or cancelled here."""
        if self._queue is not None:
            self._queue[0].wake()

    def snapshot(self) -> LabSnapshot:
        return LabSnapshot(
            hosts=[watch.host() for watch, _ in self._hosts.values()],
            lab_queue=None if self._queue is None else self._queue[0].page,
        )

    def _snapshot_json(self) -> str:
        return self.snapshot().model_dump_json()

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscription]:
        """A listener; its first event is a snapshot taken once every host was read
        (or `first_read_s` passed: a host that does not answer shows as not read yet)."""
        if self._linger is not None:
            self._linger.cancel()
            self._linger = None
        if self._supervisor is None:
            self._sync_hosts()
            if self._queue_reader is not None:
                queue = QueueWatch(self._queue_reader, self._publish, self._refresh_s)
                self._queue = (queue, asyncio.create_task(queue.run(), name="watch-lab-queue"))
            self._supervisor = asyncio.create_task(self._supervise(), name="lab-watch")
        watches = [w for w, _ in self._hosts.values()] + ([self._queue[0]] if self._queue else [])
        reads = [asyncio.ensure_future(w.read_once.wait()) for w in watches]
        if reads:
            await asyncio.wait(reads, timeout=self._first_read_s)
            for read in reads:
                read.cancel()
        listener = Subscription(self._snapshot_json)
        self._listeners.add(listener)
        try:
            yield listener
        finally:
            self._listeners.discard(listener)
            if not self._listeners and self._supervisor is not None:
                self._linger = asyncio.create_task(self._stop_after(self._linger_s))

    def _publish(self, name: str, data: str) -> None:
        for listener in self._listeners:
            listener.put((name, data))

    def _device_moved(self) -> None:
        if self._queue is not None and self._queue[0].waiting:
            self._queue[0].wake()  # requests wait: this device may have taken one

    def _sync_hosts(self) -> None:
        """A HostWatch per host of the registry: registered hosts join, forgotten ones leave."""
        known = {entry.name for entry in self._registry}
        for name in list(self._hosts):
            if name not in known:
                _, task = self._hosts.pop(name)
                task.cancel()
                self._publish("host_removed", WatchHostRemoved(host_name=name).model_dump_json())
        for name in sorted(known - set(self._hosts)):
            watch = HostWatch(
                name,
                self._registry,
                self._client,
                self._budget,
                self._publish,
                self._refresh_s,
                moved=self._device_moved,
            )
            self._hosts[name] = (watch, asyncio.create_task(watch.run(), name=f"watch-{name}"))
            if self._supervisor is not None:  # a host that joined while someone watches
                self._publish("host", watch.state.model_dump_json())

    async def _supervise(self) -> None:
        while True:
            await asyncio.sleep(self._refresh_s)
            self._sync_hosts()

    async def _stop_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self._linger = None
        await self.stop()

    async def stop(self) -> None:
        """Stop reading the hosts; the next listener starts again from a fresh reading."""
        if self._linger is not None and self._linger is not asyncio.current_task():
            self._linger.cancel()
        self._linger = None
        supervisor, self._supervisor = self._supervisor, None
        tasks = [task for _, task in self._hosts.values()]
        self._hosts.clear()
        if self._queue is not None:
            tasks.append(self._queue[1])
            self._queue = None
        if supervisor is not None:
            tasks.append(supervisor)
        for task in tasks:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)


@asynccontextmanager
async def lab_watch(
    registry: HostRegistry,
    client: HostClient,
    *,
    refresh_s: float,
    max_followed: int,
    first_read_s: float,
    queue: QueueReader | None = None,
) -> AsyncIterator[LabWatch]:
    """The watch for the lifespan: whatever it still reads is stopped on the way out."""
    watch = LabWatch(
        registry,
        client,
        refresh_s=refresh_s,
        max_followed=max_followed,
        first_read_s=first_read_s,
        queue=queue,
    )
    try:
        yield watch
    finally:
        await watch.stop()
