"""DeviceLeases: one FIFO queue per device, so one execution drives a device at a time.

Thread-safe (one lock, held for a few dictionary operations, calling nothing out): the
loop joins executions to a queue and takes them out of it, and the worker thread whose
execution returns passes its lease on to the next in line itself (`pass_on`), so the
next execution on a device starts without waiting for a turn of the event loop. A lease
passes from an execution only through `pass_on` naming it, and only while it holds the
lease: two callers that pass on the same lease hand it on once.
An execution joins its device's queue the moment it is accepted, so its queue position
is right from the first answer.
A lease is passed on when the execution's thread really returns, not when its status
turns terminal, so a driver call that ignores cancellation keeps the device held
(`stuck`) until it comes back.
"""

import bisect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _DeviceQueue:
    holder: str | None = None
    # The holder whose worker thread has returned, its lease not yet passed on. Set by
    # that thread before it records the outcome, so the device never shows `stuck`.
    returned: str | None = None
    # Each waiter's ticket, taken in arrival order (dicts keep it), and the tickets still
    # waiting, sorted by construction: a queue position is one bisection, not a walk.
    tickets: dict[str, int] = field(default_factory=dict)
    waiting: list[int] = field(default_factory=list)
    next_ticket: int = 0

    def join(self, execution_id: str) -> None:
        self.tickets[execution_id] = self.next_ticket
        self.waiting.append(self.next_ticket)
        self.next_ticket += 1

    def leave(self, execution_id: str) -> bool:
        ticket = self.tickets.pop(execution_id, None)
        if ticket is None:
            return False
        del self.waiting[bisect.bisect_left(self.waiting, ticket)]
        return True

    def position(self, execution_id: str) -> int | None:
        ticket = self.tickets.get(execution_id)
        return None if ticket is None else bisect.bisect_left(self.waiting, ticket) + 1


class DeviceLeases:
    def __init__(
        self, device_ids: list[str], returned: Callable[[str], None] | None = None
    ) -> None:
        """`returned(device_id)` hears of every holder's thread coming back (from it)."""
        self._queues = {device_id: _DeviceQueue() for device_id in device_ids}
        self._lock = threading.Lock()
        self._returned = returned

    def request(self, device_id: str, execution_id: str) -> bool:
        """Take the lease now (True) or join the device's queue (False)."""
        with self._lock:
            queue = self._queues[device_id]
            if queue.holder is None and not queue.tickets:
                queue.holder = execution_id
                return True
            queue.join(execution_id)
            return False

    def withdraw(self, device_id: str, execution_id: str) -> bool:
        """Leave the queue: True if it was waiting; False if it holds the lease (or
        never asked), which only `pass_on` gives up."""
        with self._lock:
            return self._queues[device_id].leave(execution_id)

    def pass_on(self, device_id: str, execution_id: str) -> str | None:
        """Give the lease of `execution_id` to the next in line: its id, or None when the
        queue is empty or `execution_id` does not hold the lease (passed on already)."""
        with self._lock:
            queue = self._queues[device_id]
            if queue.holder != execution_id:
                return None
            queue.holder = next(iter(queue.tickets), None)
            if queue.holder is not None:
                queue.leave(queue.holder)
            return queue.holder

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
        with self._lock:
            return list(self._queues[device_id].tickets)

    def position(self, device_id: str, execution_id: str) -> int | None:
        """1 for the next in line; None when not queued."""
        with self._lock:
            return self._queues[device_id].position(execution_id)
