"""Dispatcher: hands lab requests to free matching devices, each exactly once, and follows them.

A tick expires requests past their queue wait limit, then walks the queue in dispatch
order (priority, then arrival) and gives each request the first free device it matches:
a request that matches no free device waits without holding up the ones behind it. The
queue is read a page at a time, only as far as there are free devices left, and the tick's
choices are claimed in one transaction of the store, which makes each exclusive (see
`lab/queue_rows.py`): one call per tick, not one per request. The host is
asked with an Idempotency-Key made of the request id and its attempt, so asking again
after a crash or a lost answer finds the execution created the first time, never a second.

Every process follows every dispatched request (long-polling its host) until it ends, so
a replica that dies loses nothing: the others already follow, or pick up the claim. Each
step of an attempt is a conditional change of the row for that attempt, so when several
followers see the same end, one records it (and counts it against the device), and a
replica acting on an attempt another has settled changes nothing.
"""

import asyncio
import contextlib
import dataclasses
import logging
import os
import socket
import time
import uuid
from collections.abc import Coroutine
from typing import Any

from proxy_service.client import HostClient
from proxy_service.device_health import DeviceHealth
from proxy_service.errors import HostAnsweredError, ProxyError
from proxy_service.hosts import HostRegistry
from proxy_service.inventory import Inventory, LabDevice, matches
from proxy_service.lab import LabStore
from proxy_service.lab.queue_rows import CLAIMED, RUNNING, LabRequestRow
from proxy_service.signals import LabSignals
from schemas import ExecutionAccepted, ExecutionError, ExecutionStatus, ExecutionView, HostStatus
from schemas.lab import DeviceSelector

log = logging.getLogger("device_orchestrator.dispatcher")

QUEUE_SCAN = 2_000  # queued requests looked at per tick, at most
QUEUE_PAGE = 32  # read at a time, or twice the free devices if more
SWEEP_S = 1.0  # how often claimed and running requests are checked for a follower
FOLLOW_WAIT_S = 30.0  # one long-poll of a dispatched execution
RETRY_CLAIM_S = 2.0  # a claim whose host did not answer is asked again after this
CLOSE_S = 2.0  # a follow stuck in a host call is left behind after this, at shutdown


def replica_name() -> str:
    """Who claims, as `claimed_by` shows it: this machine, this process, and a random part
    (a restarted container may have the same host name and pid)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def lab_view(row: LabRequestRow, host_view: bytes) -> bytes:
    """The host's view under the lab's id: clients keep following the id they were given."""
    view = ExecutionView.model_validate_json(host_view)
    return view.model_copy(update={"execution_id": row.id}).model_dump_json().encode()


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
        self._registry = registry
        self._client = client
        self._store = store
        self._inventory = inventory
        self._signals = signals
        self._health = DeviceHealth(store, inventory, quarantine_after)
        self.replica = replica_name()
        self._wake = asyncio.Event()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._last_sweep = 0.0
        self.dispatched = 0  # requests this process handed to a host

    def wake(self) -> None:
        self._wake.set()

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

    async def _sweep(self, now: float) -> None:
        """Requests claimed or running that no task of this process looks after: a claim
        whose host did not answer, or the work of a replica (or process) that died."""
        for row in await self._store.unsettled():
            if row.id in self._tasks:
                continue
            if row.state == RUNNING:
                self._spawn(row.id, self._follow(row))
            elif row.state == CLAIMED and now - (row.claimed_at or 0) >= RETRY_CLAIM_S:
                self._spawn(row.id, self._dispatch(row))

    async def _dispatch(self, row: LabRequestRow) -> None:
        assert row.host_name is not None
        assert row.device_id is not None
        try:
            entry = self._registry.route(row.host_name)
            body = {**row.body, "host_name": row.host_name, "device_id": row.device_id}
            _, accepted = await self._client.start(
                entry, row.path, body, f"lab-{row.id}-{row.attempts}".encode()
            )
        except HostAnsweredError as exc:
            # The host refused the request for this device (its driver, its library).
            error = ExecutionError(
                code="dispatch_refused",
                message=f"host {row.host_name} refused it for {row.device_id}: "
                f"{exc.body().message}",
                details=exc.body().model_dump(mode="json"),
            )
            await self._end(row, ExecutionStatus.error, error=error)
            return
        except ProxyError as exc:
            entry_offline = self._host_offline(row.host_name)
            log.info("lab request %s: host %s did not take it: %s", row.id, row.host_name, exc)
            # Offline, it cannot have started there: choose another device.
            if entry_offline and await self._store.release_request(row.id, attempt=row.attempts):
                self._signals.changed(row.id)
                self.wake()
            return  # else the sweep asks the same host again, with the same key
        await self._started(row, accepted)

    def _host_offline(self, host_name: str) -> bool:
        try:
            return self._registry.status(self._registry.get(host_name)) is HostStatus.offline
        except ProxyError:
            return True

    async def _started(self, row: LabRequestRow, accepted: ExecutionAccepted) -> None:
        if await self._store.request_running(row.id, accepted.execution_id, row.attempts):
            self.dispatched += 1
            self._signals.changed(row.id)
        elif not await self._recorded_by_another(row, accepted.execution_id):
            return
        row.state, row.host_execution_id = RUNNING, accepted.execution_id
        if row.cancel_requested or (await self._store.lab_request(row.id) or row).cancel_requested:
            await self.cancel_on_host(row)
        await self._follow(row)

    async def _recorded_by_another(self, row: LabRequestRow, execution_id: str) -> bool:
        """The claim was settled while its host was asked: True when another replica asked
        the same (same key, same execution) and recorded it running; else the attempt was
        given up, and the host's execution is cancelled so that only one runs."""
        now = await self._store.lab_request(row.id)
        if now is not None and now.host_execution_id == execution_id:
            return now.state == RUNNING
        log.warning(
            "lab request %s: attempt %d given up; cancelling its late start %s on %s",
            row.id,
            row.attempts,
            execution_id,
            row.host_name,
        )
        with contextlib.suppress(ProxyError):
            await self.cancel_on_host(dataclasses.replace(row, host_execution_id=execution_id))
        return False

    async def cancel_on_host(self, row: LabRequestRow) -> bytes | None:
        assert row.host_name is not None
        assert row.host_execution_id is not None
        try:
            entry = self._registry.route(row.host_name)
            return await self._client.cancel(entry, row.host_execution_id)
        except HostAnsweredError as exc:
            if exc.status_code == 409:  # ended meanwhile: the follower records how
                return None
            raise

    async def _follow(self, row: LabRequestRow) -> None:
        """Long-poll the dispatched execution until it ends; then record how it ended."""
        assert row.host_name is not None
        assert row.host_execution_id is not None
        path = f"/executions/{row.host_execution_id}"
        while True:
            try:
                entry = self._registry.route(row.host_name)
                content = await self._client.execution(entry, path, False, FOLLOW_WAIT_S)
            except HostAnsweredError as exc:
                if exc.status_code == 404:  # evicted, or the host lost its journal
                    error = ExecutionError(
                        code="execution_lost",
                        message=f"host {row.host_name} no longer knows execution "
                        f"{row.host_execution_id}",
                    )
                    await self._end(row, ExecutionStatus.interrupted, error=error)
                    return
                await asyncio.sleep(RETRY_CLAIM_S)  # a fault of the host: ask again
                continue
            except ProxyError:
                await asyncio.sleep(RETRY_CLAIM_S)  # offline or unreachable: it comes back
                continue
            view = ExecutionView.model_validate_json(content)
            if view.status.terminal:
                if await self._health.ended(row, view, lab_view(row, content)):
                    self._signals.changed(row.id)
                self.wake()  # its device is free
                return

    async def _end(
        self,
        row: LabRequestRow,
        status: ExecutionStatus,
        *,
        view: bytes | None = None,
        error: ExecutionError | None = None,
    ) -> None:
        ended = await self._store.finish_request(
            row.id,
            status.value,
            view=view,
            error=None if error is None else error.model_dump(mode="json"),
            attempt=row.attempts,
        )
        if ended:
            self._signals.changed(row.id)
        self.wake()  # its device is free

    async def close(self) -> None:
        """Stop following; what is dispatched goes on on its hosts, and the next start (or
        another replica) follows it again from the store."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=CLOSE_S)
