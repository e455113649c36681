"""Run: an accepted execution as the orchestrator and the worker threads share it."""

import asyncio
import contextvars
from dataclasses import InitVar, dataclass, field

from host_service.engine.record import ExecutionRecord
from host_service.kinds import Job
from host_service.runtime.loop_calls import resolve


@dataclass(eq=False)
class Run:
    """An accepted execution, from its submit to the end of its task."""

    record: ExecutionRecord
    job: Job
    timeout_s: float
    context: contextvars.Context  # the work's, with `current_execution_id` set
    loop: InitVar[asyncio.AbstractEventLoop]
    # Resolved on the loop: once it started (by the thread it was passed to); once its
    # work returned, or it never ran; at the first of that and a stop request (or its
    # deadline).
    started: asyncio.Future[None] = field(init=False)
    done: asyncio.Future[None] = field(init=False)
    wake: asyncio.Future[None] = field(init=False)

    def __post_init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.started = loop.create_future()
        self.done = loop.create_future()
        self.wake = loop.create_future()

    @property
    def execution_id(self) -> str:
        return self.record.execution_id

    @property
    def device_id(self) -> str:
        return self.record.device_id

    def ended(self) -> None:
        """On the loop: its work returned (or it will never run)."""
        for future in (self.started, self.done, self.wake):
            resolve(future)
