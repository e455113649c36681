"""DeviceLeases: one FIFO queue per device, so one execution drives a device at a time.

Lives on the event loop: every method is called there, but for
`mark_returned`, which the execution's worker thread calls as it returns (one
attribute store, atomic under the GIL; `has_returned` reads it on the loop).
An execution joins its device's queue the moment it is accepted, so its queue
position is right from the first answer.
A lease is released when the execution's thread really returns, not when its
status turns terminal, so a driver call that ignores cancellation keeps the
device held (`stuck`) until it comes back.
"""

import asyncio
import bisect
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _DeviceQueue:
    holder: str | None = None
    # The holder whose worker thread has returned, its lease not yet passed on. Set by
    # that thread (one attribute store); the loop passes the lease on a few turns later.
    returned: str | None = None
    waiters: OrderedDict[str, asyncio.Future[None]] = field(default_factory=OrderedDict)
    # Each waiter's ticket, taken in arrival order, and the tickets still waiting, sorted
    # by construction: a queue position is one bisection, not a walk of the queue.
    tickets: dict[str, int] = field(default_factory=dict)
    waiting: list[int] = field(default_factory=list)
    next_ticket: int = 0

    def join(self, execution_id: str, grant: asyncio.Future[None]) -> None:
        self.waiters[execution_id] = grant
        self.tickets[execution_id] = self.next_ticket
        self.waiting.append(self.next_ticket)
        self.next_ticket += 1

    def leave(self, execution_id: str) -> asyncio.Future[None] | None:
        grant = self.waiters.pop(execution_id, None)
        ticket = self.tickets.pop(execution_id, None)
        if ticket is not None:
            del self.waiting[bisect.bisect_left(self.waiting, ticket)]
        return grant

    def position(self, execution_id: str) -> int | None:
        ticket = self.tickets.get(execution_id)
        return None if ticket is None else bisect.bisect_left(self.waiting, ticket) + 1


class DeviceLeases:
    def __init__(
        self, device_ids: list[str], returned: Callable[[str], None] | None = None
    ) -> None:
        """`returned(device_id)` hears of every holder's thread coming back (from it)."""
        self._queues = {device_id: _DeviceQueue() for device_id in device_ids}
        self._returned = returned

    def request(self, device_id: str, execution_id: str) -> asyncio.Future[None]:
        """Join the device's queue now; the future resolves when the lease is granted."""
        queue = self._queues[device_id]
        grant: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if queue.holder is None and not queue.waiters:
            queue.holder = execution_id
            grant.set_result(None)
        else:
            queue.join(execution_id, grant)
        return grant

    def withdraw(self, device_id: str, execution_id: str) -> None:
        """Leave the queue, or give the lease back if it was granted meanwhile."""
        self._queues[device_id].leave(execution_id)
        self.release(device_id, execution_id)

    def release(self, device_id: str, execution_id: str) -> None:
        queue = self._queues[device_id]
        if queue.holder != execution_id:
            return
        queue.holder = None
        while queue.waiters:
            next_id = next(iter(queue.waiters))
            future = queue.leave(next_id)
            if future is not None and not future.done():
                queue.holder = next_id
                future.set_result(None)
                return

    def holder(self, device_id: str) -> str | None:
        return self._queues[device_id].holder

    def mark_returned(self, device_id: str, execution_id: str) -> None:
        """Called by the worker thread of `execution_id` before it records its outcome."""
        self._queues[device_id].returned = execution_id
        if self._returned is not None:  # a stuck device is idle from now on
            self._returned(device_id)

    def has_returned(self, device_id: str, execution_id: str) -> bool:
        """Whether the work of the lease holder `execution_id` has come back."""
        return self._queues[device_id].returned == execution_id

    def queued(self, device_id: str) -> list[str]:
        return list(self._queues[device_id].waiters)

    def position(self, device_id: str, execution_id: str) -> int | None:
        """1 for the next in line; None when not queued."""
        return self._queues[device_id].position(execution_id)
