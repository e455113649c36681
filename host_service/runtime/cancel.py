"""Cooperative stop signal shared by an execution's thread and the event loop.

Executors and drivers call `check()` between steps and `wait()` instead of
`time.sleep()`, so a cancel request or the deadline stops them at the next
opportunity. A driver call that ignores the token cannot be killed; the
orchestrator then reports the execution stopped anyway and leaves the device
`stuck` until the call returns.
"""

import threading
import time
from enum import StrEnum

from schemas import ExecutionResult


class StopReason(StrEnum):
    cancelled = "cancelled"
    timed_out = "timed_out"
    shutdown = "shutdown"


class ExecutionStopped(Exception):  # noqa: N818 - a signal, not a failure
    """The work stopped for `reason`. A kind that can tell what it did up to the stop
    raises it again with `partial`, its result so far (a campaign's items); the
    orchestrator records that result with the stop's status, whatever the kind."""

    def __init__(self, reason: StopReason, partial: ExecutionResult | None = None) -> None:
        super().__init__(f"execution stopped: {reason.value}")
        self.reason = reason
        self.partial = partial


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._reason: StopReason | None = None
        self._deadline: float | None = None

    def arm_deadline(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds

    @property
    def deadline(self) -> float | None:
        return self._deadline

    @property
    def reason(self) -> StopReason | None:
        if (
            self._reason is None
            and self._deadline is not None
            and time.monotonic() >= self._deadline
        ):
            return StopReason.timed_out
        return self._reason

    def cancel(self, reason: StopReason) -> None:
        if self._reason is None:
            self._reason = reason
        self._event.set()

    def remaining(self) -> float | None:
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - time.monotonic())

    def check(self) -> None:
        reason = self.reason
        if reason is not None:
            raise ExecutionStopped(reason)

    def wait(self, seconds: float) -> None:
        """Sleep up to `seconds`, raising `ExecutionStopped` as soon as a stop is due."""
        self.check()
        remaining = self.remaining()
        timeout = seconds if remaining is None else min(seconds, remaining)
        self._event.wait(max(0.0, timeout))
        self.check()


class ChildToken(CancelToken):
    """A part of an execution with its own shorter deadline (a campaign item).

    It stops when its parent stops, and its waits wake on the parent's stop; its
    own deadline stops only the part, which `parent.reason` tells apart.
    """

    def __init__(self, parent: CancelToken, seconds: float) -> None:
        super().__init__()
        self._parent = parent
        self._event = parent._event  # the parent's stop wakes this token's waits
        remaining = parent.remaining()
        self.arm_deadline(seconds if remaining is None else min(seconds, remaining))

    @property
    def reason(self) -> StopReason | None:
        return self._parent.reason or super().reason

    def cancel(self, reason: StopReason) -> None:
        # Setting the shared event would wake the parent's waits for good.
        if self._reason is None:
            self._reason = reason
