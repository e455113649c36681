"""Dispatcher: hands lab requests to free matching devices, each exactly once.

A tick expires requests past their queue wait limit, then walks the queue in dispatch
order (priority, then arrival) and gives each request the first free device it matches:
a request that matches no free device waits without holding up the ones behind it. The
queue is read a page at a time, only as far as there are free devices left, and the tick's
choices are claimed in one transaction of the store, which makes each exclusive (see
`lab/queue_rows.py`): one call per tick, not one per request. Each claim is then asked of
its host (`attempts.py`).

Every process reads every host's feed (`feed.py`), where dispatched attempts end, so a
replica that dies loses nothing: the others read the same ends, and its sweep picks up
what another replica claimed and never asked. Each step of an attempt is a conditional
change of the row for that attempt, so when several readers see the same end, one records
it (and counts it against the device), and a replica acting on an attempt another has
settled changes nothing.
"""

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Coroutine
from typing import Any

from proxy_service.attempts import FOLLOW_AFTER_S, RETRY_S, Attempts
from proxy_service.client import HostClient
from proxy_service.device_health import DeviceHealth
from proxy_service.hosts import HostRegistry
from proxy_service.inventory import Inventory, LabDevice, matches
from proxy_service.lab import LabStore
from proxy_service.lab.attempt_ends import AttemptEnd, Judge
from proxy_service.lab.queue_rows import CLAIMED, RUNNING, LabRequestRow
from proxy_service.signals import LabSignals
from schemas.lab import DeviceSelector

log = logging.getLogger("device_orchestrator.dispatcher")

QUEUE_SCAN = 2_000  # queued requests looked at per tick, at most
QUEUE_PAGE = 32  # read at a time, or twice the free devices if more
SWEEP_S = 1.0  # how often claimed and running requests are checked for one to look after
RETRY_CLAIM_S = RETRY_S  # a claim whose host did not answer is asked again after this
CLOSE_S = 2.0  # a follow stuck in a host call is left behind after this, at shutdown


def replica_name() -> str:
    """Who claims, as `claimed_by` shows it: this machine, this process, and a random part
    (a restarted container may have the same host name and pid)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Dispatcher:
    def __init__(
        self,
        registry: HostRegistry,
        client: HostClient,
        store: LabStore,
        inventory: Inventory,
        signals: LabSignals,
        quarantine_after: int = 3,
    ) -> None:
        self._store = store
        self._inventory = inventory
        self._signals = signals
        self._health = DeviceHealth(store, inventory, quarantine_after)
        self.attempts = Attempts(registry, client, store, signals, self._health, self.wake)
        self.replica = replica_name()
        self._wake = asyncio.Event()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._last_sweep = 0.0
        self._feedless: set[str] = set()  # hosts whose ends are not in a feed: followed
        # Running this long with no end from the feed: followed on its own (attempts.py).
        self.follow_after_s = FOLLOW_AFTER_S

    def wake(self) -> None:
        self._wake.set()

    # -- ends read from the hosts' feeds (feed.py) ---------------------------------------

    def judge(self) -> Judge:
        return self._health.judge()

    def ended(self, ends: list[AttemptEnd]) -> None:
        """Attempts a reading of a host's feed settled: their waiters and devices are free."""
        for end in ends:
            self._health.report(end)
            self._signals.changed(end.request_id)
        if ends:
            self.wake()

    def fed(self, host_name: str, offers: bool) -> None:
        """Whether the host offers a feed: its executions are followed one by one if not."""
        if offers:
            self._feedless.discard(host_name)
        else:
            self._feedless.add(host_name)

    # -- dispatching ----------------------------------------------------------------------

    async def run(self, interval_s: float = 0.5) -> None:
        while True:
            # asyncio.timeout, not wait_for: on 3.11 wait_for loses a cancellation that
            # arrives as the event is set, and this loop would never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(interval_s):
                    await self._wake.wait()
            self._wake.clear()
            try:
                await self.tick()
            except Exception:  # one bad tick must not end the dispatching
                log.exception("dispatch tick failed")

    async def tick(self) -> None:
        now = time.time()
        for request_id in await self._store.expire_requests(now):
            self._signals.changed(request_id)
        if now - self._last_sweep >= SWEEP_S:
            self._last_sweep = now
            await self._inventory.refresh()
            await self._sweep(now)
        held = await self._store.holding()
        health = await self._store.device_health()
        free = [d for d in self._inventory.usable(health) if d.key not in held]
        assigned = await self._choose(free)
        claims = [(row.id, device.host_name, device.device_id) for row, device in assigned]
        taken = await self._store.claim(claims, self.replica)
        for row, device in assigned:
            if row.id in taken:
                row.host_name, row.device_id, row.attempts = (
                    device.host_name,
                    device.device_id,
                    row.attempts + 1,
                )
                self._spawn(row.id, self._dispatch(row))
            else:  # another replica took the request or the device: look again at once
                self.wake()

    async def _choose(self, free: list[LabDevice]) -> list[tuple[LabRequestRow, LabDevice]]:
        """Requests for the free devices, reading the queue only as far as it takes."""
        assigned: list[tuple[LabRequestRow, LabDevice]] = []
        after, scanned = None, 0
        while free and scanned < QUEUE_SCAN:
            wanted = min(QUEUE_SCAN - scanned, max(QUEUE_PAGE, 2 * len(free)))
            page = await self._store.queued(wanted, after)
            assigned += self._assign(page, free)
            if len(page) < wanted:
                break
            scanned, after = scanned + len(page), (page[-1].priority, page[-1].seq)
        return assigned

    @staticmethod
    def _assign(
        queue: list[LabRequestRow], free: list[LabDevice]
    ) -> list[tuple[LabRequestRow, LabDevice]]:
        assigned = []
        for row in queue:
            if not free:
                break
            selector = DeviceSelector.model_validate(row.selector)
            excluded = set(row.excluded)
            for device in free:
                if matches(selector, device) and "/".join(device.key) not in excluded:
                    assigned.append((row, device))
                    free.remove(device)
                    break
        return assigned

    def _spawn(self, request_id: str, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work, name=f"lab-{request_id}")
        self._tasks[request_id] = task
        task.add_done_callback(lambda _: self._forget(request_id))

    def _forget(self, request_id: str) -> None:
        self._tasks.pop(request_id, None)

    def _dispatch(self, row: LabRequestRow) -> Coroutine[Any, Any, None]:
        assert row.host_name is not None
        return self.attempts.dispatch(row, follow=row.host_name in self._feedless)

    async def _sweep(self, now: float) -> None:
        """Requests claimed or running that no task of this process looks after: a claim
        whose host did not answer (or whose replica died before it asked), and executions
        whose end the feed cannot tell (no feed, or not ended through it for a while)."""
        for row in await self._store.unsettled():
            if row.id in self._tasks:
                continue
            claimed_for = now - (row.claimed_at or 0)
            if row.state == RUNNING and (
                row.host_name in self._feedless or claimed_for >= self.follow_after_s
            ):
                self._spawn(row.id, self.attempts.follow(row))
            elif row.state == CLAIMED and claimed_for >= RETRY_CLAIM_S:
                self._spawn(row.id, self._dispatch(row))

    async def close(self) -> None:
        """Stop following; what is dispatched goes on on its hosts, and the next start (or
        another replica) follows it again from the store."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=CLOSE_S)
