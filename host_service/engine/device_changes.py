"""DeviceChanges: which devices' views may have moved, counted on one host-wide sequence.

A device's view moves when an execution is created on it (its queue), starts or ends on
it (the registry's status events), and when a stuck driver call returns (its lease).
Each of those notes the device at the next number of the sequence; a reader that saw
number N asks which devices were noted past it and gets each one once, however often it
moved meanwhile, so a slow reader costs nothing and holds nothing but its number.
What the host notices only when it looks (a driver gone offline while idle) is not
noted: it shows in the next full reading. `ended` is the number of the latest note made
by an execution's end, so a reader waiting for ends (the executions' feed) can tell them
from the other moves.

Notes come from worker threads (a run's end) and from the loop; waiters live on the loop
and are woken through `call_soon_threadsafe`, once per burst of notes.
"""

import asyncio
import contextlib
import os
import threading

from host_service.engine.change import Change
from host_service.engine.record import ExecutionRecord
from host_service.runtime.loop_calls import call_soon
from schemas.events import EventType

_STATUS = EventType.status.value


class DeviceChanges:
    def __init__(self, device_ids: list[str]) -> None:
        # Names this process's sequence: a cursor of an earlier run of the host is unknown.
        self.run = os.urandom(4).hex()
        self._seq = 0
        self.ended = 0  # the number of the latest note made by an execution's end
        self._noted = dict.fromkeys(device_ids, 0)  # device -> number of its last note
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting = 0
        self._wake_due = False
        self._woken: asyncio.Event | None = None  # replaced at each wake-up; on the loop

    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    # -- notes -----------------------------------------------------------------------------

    def changed(self, record: ExecutionRecord, change: Change) -> None:
        """A registry listener: executions created, started or ended move their device."""
        if change.created or any(event.type == _STATUS for event in change.events):
            self.note(record.device_id, ended=record.status.terminal)

    def evicted(self, execution_ids: list[str]) -> None:
        """Finished records leaving the registry change no device."""

    def note(self, device_id: str, ended: bool = False) -> None:
        """The device's view may have moved (an execution on it `ended`); from any thread."""
        with self._lock:
            self._seq += 1
            self._noted[device_id] = self._seq
            if ended:
                self.ended = self._seq
            if self._wake_due or not self._waiting or self._loop is None:
                return
            self._wake_due = True
        call_soon(self._loop, self._wake)

    def _wake(self) -> None:
        with self._lock:
            self._wake_due = False
        woken, self._woken = self._woken, None
        if woken is not None:
            woken.set()

    # -- reads -----------------------------------------------------------------------------

    def cursor(self, seq: int) -> str:
        return f"{self.run}-{seq}"

    def position(self, cursor: str | None) -> int | None:
        """The number a cursor of this run stands for; None: no cursor, or another run's."""
        if cursor is None:
            return None
        run, _, seq = cursor.partition("-")
        number = int(seq)
        with self._lock:
            return number if run == self.run and number <= self._seq else None

    @property
    def now(self) -> int:
        """The sequence's number now: `wait(now)` returns at the next note."""
        with self._lock:
            return self._seq

    def since(self, seq: int) -> tuple[int, list[str]]:
        """The sequence now, and the devices noted past `seq`, in config order."""
        with self._lock:
            return self._seq, [d for d, noted in self._noted.items() if noted > seq]

    async def wait(self, seq: int, seconds: float) -> None:
        """Return once a device is noted past `seq`, or after `seconds` (or sooner: callers
        look again)."""
        with self._lock:
            if self._seq > seq:
                return
            self._waiting += 1
        if self._woken is None:
            self._woken = asyncio.Event()
        woken = self._woken
        try:
            # asyncio.timeout, not wait_for: on 3.11 wait_for can lose a cancellation.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    await woken.wait()
        finally:
            with self._lock:
                self._waiting -= 1
