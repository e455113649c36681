"""LabSignals: wake the long-polls and streams waiting on a lab request when it changes.

Changes this process makes are signalled at once; a change made by another replica is seen
at the waiter's next look at the store (`POLL_S`), so waiting never depends on being told.
"""

import asyncio
import contextlib

POLL_S = 0.25


class LabSignals:
    def __init__(self) -> None:
        self._waiters: dict[str, asyncio.Event] = {}

    def changed(self, request_id: str) -> None:
        event = self._waiters.pop(request_id, None)
        if event is not None:
            event.set()

    async def wait(self, request_id: str, seconds: float) -> None:
        """Return when `request_id` changes here, or after `seconds` (at most `POLL_S`)."""
        event = self._waiters.setdefault(request_id, asyncio.Event())
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(min(seconds, POLL_S)):  # not wait_for (dispatcher.py)
                await event.wait()
