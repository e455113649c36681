"""DeviceLeases: one FIFO queue per device, so one execution drives a device at a time.

Lives on the event loop: acquire, release and position are only called there.
A lease is released when the execution's thread really returns, not when its
status turns terminal, so a driver call that ignores cancellation keeps the
device held (`stuck`) until it comes back.
"""

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field


@dataclass
class _DeviceQueue:
    holder: str | None = None
    waiters: OrderedDict[str, asyncio.Future[None]] = field(default_factory=OrderedDict)


class DeviceLeases:
    def __init__(self, device_ids: list[str]) -> None:
        self._queues = {device_id: _DeviceQueue() for device_id in device_ids}

    async def acquire(self, device_id: str, execution_id: str) -> None:
        """Wait for the device in FIFO order. Cancelling the waiting task leaves the queue."""
        queue = self._queues[device_id]
        if queue.holder is None and not queue.waiters:
            queue.holder = execution_id
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue.waiters[execution_id] = future
        try:
            await future
        except asyncio.CancelledError:
            queue.waiters.pop(execution_id, None)
            if queue.holder == execution_id:  # granted in the same tick it was cancelled
                self.release(device_id, execution_id)
            raise

    def release(self, device_id: str, execution_id: str) -> None:
        queue = self._queues[device_id]
        if queue.holder != execution_id:
            return
        queue.holder = None
        while queue.waiters:
            next_id, future = queue.waiters.popitem(last=False)
            if not future.done():
                queue.holder = next_id
                future.set_result(None)
                return

    def holder(self, device_id: str) -> str | None:
        return self._queues[device_id].holder

    def queued(self, device_id: str) -> list[str]:
        return list(self._queues[device_id].waiters)

    def position(self, device_id: str, execution_id: str) -> int | None:
        """1 for the next in line; None when not queued."""
        for index, waiting_id in enumerate(self._queues[device_id].waiters, start=1):
            if waiting_id == execution_id:
                return index
        return None
