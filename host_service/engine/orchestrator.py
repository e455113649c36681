"""ExecutionOrchestrator: queue, deadline, cancel, log capture and outcome of every run.

An execution that finds its device free is started by its asyncio task, which hands
the executor to a worker thread of the loop's default executor (what
`asyncio.to_thread` uses). The thread records the outcome itself, so a client sees it
the moment the work returns, however busy the event loop is; then it passes the
device's lease on and runs the next execution in line itself, with no turn of the
event loop in between (docs/architecture.md). Each execution's task supervises it
all along: it waits in the queue (up to the queue wait limit), then for the first of:
the work returning, a cancel request, the deadline. A stop that the work does not
honour within `stop_grace_s` is reported anyway; the lease stays held until the
thread returns (`stuck`).
"""

import asyncio
import contextvars
from concurrent.futures import Executor as ThreadPool
from dataclasses import InitVar, dataclass, field
from typing import Any

from host_service.drivers import Device
from host_service.engine.artifact_store import ArtifactStore
from host_service.engine.devices import DeviceCatalog
from host_service.engine.leases import DeviceLeases
from host_service.engine.outcome import STOP_STATUS, Outcome, run_job, stop_error
from host_service.engine.record import ExecutionRecord
from host_service.engine.registry import ExecutionRegistry
from host_service.engine.run_report import RegistryReport
from host_service.errors import ConflictError
from host_service.kinds import Job
from host_service.runtime.cancel import StopReason
from host_service.runtime.limits import RunLimits
from host_service.runtime.logs import current_execution_id, execution_logger
from host_service.runtime.loop_calls import LoopCalls, resolve
from host_service.settings import HostSettings
from host_service.steps.context import RunContext
from schemas import (
    CapturePolicy,
    ExecutionError,
    ExecutionKind,
    ExecutionResult,
    ExecutionStatus,
)
from service_common.ids import ExecutionIds

log = execution_logger("orchestrator")


@dataclass(eq=False)
class _Run:
    """An accepted execution, from its submit to the end of its task."""

    record: ExecutionRecord
    job: Job
    timeout_s: float
    context: contextvars.Context  # the work's, with `current_execution_id` set
    loop: InitVar[asyncio.AbstractEventLoop]
    # Resolved on the loop: once it started (by the thread it was passed to); once its
    # work returned, or it never ran; at the first of that and a stop request.
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


class ExecutionOrchestrator:
    def __init__(
        self,
        registry: ExecutionRegistry,
        leases: DeviceLeases,
        devices: DeviceCatalog,
        settings: HostSettings,
        pool: ThreadPool,
        artifacts: ArtifactStore,
        calls: LoopCalls,
    ) -> None:
        """`pool` runs the work: the loop's default executor, sized from the device count;
        `calls` brings the threads' news to the loop."""
        self._calls = calls
        self._artifacts = artifacts
        self._registry = registry
        self._pool = pool
        self._leases = leases
        self._devices = devices
        self._settings = settings
        self._tasks: dict[str, asyncio.Task[None]] = {}
        # Every accepted execution until its task ends; worker threads look up the one a
        # lease passes to (dictionary reads: atomic under the GIL).
        self._runs: dict[str, _Run] = {}
        self._ids = ExecutionIds()

    def submit(
        self,
        kind: ExecutionKind,
        job: Job,
        request: dict[str, Any],
        device_id: str,
        timeout_s: float,
        idempotency: tuple[str, str] | None = None,
        capture: CapturePolicy = CapturePolicy.on_failure,
    ) -> ExecutionRecord:
        record = ExecutionRecord(
            execution_id=self._ids.new(),
            kind=kind,
            host_name=self._devices.host_name,
            device_id=device_id,
            request=request,
            max_log_lines=self._settings.max_log_lines,
            max_events=self._settings.max_events,
            idempotency=idempotency,
            capture=capture,
        )
        self._registry.add(record)
        context = contextvars.copy_context()
        context.run(current_execution_id.set, record.execution_id)
        run = _Run(record, job, timeout_s, context, asyncio.get_running_loop())
        self._runs[record.execution_id] = run
        granted = self._leases.request(device_id, record.execution_id)
        task = asyncio.create_task(self._drive(run, granted))
        self._tasks[record.execution_id] = task
        task.add_done_callback(lambda _: self._forget(record.execution_id))
        return record

    def cancel(self, execution_id: str) -> None:
        record = self._registry.get(execution_id)
        if record.status.terminal:
            raise ConflictError(
                f"execution {execution_id} already ended as {record.status.value}",
                code="execution_finished",
                details={"status": record.status.value},
            )
        # Recorded first, so the task's CancelledError is not mistaken for a crash; and
        # only if it has not started (a thread may be starting it this very moment).
        if self._registry.finish_queued(
            execution_id, ExecutionStatus.cancelled, message="cancelled while queued"
        ):
            if not self._leases.withdraw(record.device_id, execution_id):
                self._hand_on(record.device_id, execution_id)  # held the lease, never ran
            task = self._tasks.get(execution_id)
            if task is not None:
                task.cancel()
            return
        record.token.cancel(StopReason.cancelled)
        run = self._runs.get(execution_id)
        if run is not None:
            resolve(run.wake)

    async def shutdown(self) -> None:
        """Stop everything: unfinished executions become `interrupted`."""
        for record in self._registry.active():
            record.token.cancel(StopReason.shutdown)
            self._registry.finish(
                record.execution_id,
                ExecutionStatus.interrupted,
                error=stop_error(StopReason.shutdown, 0),
            )
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # -- one execution, on the loop ----------------------------------------------------------

    async def _drive(self, run: _Run, granted: bool) -> None:
        if granted:
            if self._begin(run):
                self._pool.submit(self._chain, run)
            else:  # cancelled as the lease came
                self._hand_on(run.device_id, run.execution_id)
                run.ended()
        else:
            try:
                async with asyncio.timeout(self._settings.queue_wait_limit_s):
                    await run.started
            except BaseException as exc:  # timeout, or cancelled while queued
                if self._leases.withdraw(run.device_id, run.execution_id):
                    if isinstance(exc, TimeoutError):
                        self._queue_timeout(run)
                        return
                    raise
                if not isinstance(exc, TimeoutError):
                    raise
                # The lease came meanwhile: a thread starts it (or did); follow it.
        await self._stop_or_return(run)

    def _queue_timeout(self, run: _Run) -> None:
        error = ExecutionError(
            code="queue_timeout",
            message=f"device {run.device_id} stayed busy past the queue wait limit",
            details={"queue_wait_limit_s": self._settings.queue_wait_limit_s},
        )
        self._registry.finish_queued(run.execution_id, ExecutionStatus.timed_out, error=error)

    async def _stop_or_return(self, run: _Run) -> None:
        """Wait for the first of: the work returning, a cancel request, the deadline.

        The work records its own outcome; this records one only for work that
        ignores a stop past the grace period (its device is then `stuck`).
        """
        record = run.record
        # The deadline is one timer that wakes it too: a third of asyncio.wait's cost with
        # a timeout, per execution on the loop (bench/README.md).
        deadline = asyncio.get_running_loop().call_later(run.timeout_s, resolve, run.wake)
        try:
            await run.wake
        finally:
            deadline.cancel()
        if run.done.done():
            return
        reason = record.token.reason or StopReason.timed_out
        record.token.cancel(reason)
        await asyncio.wait({run.done}, timeout=self._settings.stop_grace_s)
        if run.done.done():
            return
        log.warning(
            "execution %s: driver call ignores the stop; device %s is stuck",
            record.execution_id,
            record.device_id,
        )
        error = stop_error(reason, run.timeout_s)
        result = _result_so_far(record, reason)
        self._registry.finish(record.execution_id, STOP_STATUS[reason], result=result, error=error)

    def _hand_on(self, device_id: str, execution_id: str) -> None:
        """On the loop: pass on a lease whose holder will not run; the next one runs."""
        run = self._next(device_id, execution_id)
        if run is not None:
            self._pool.submit(self._chain, run)

    # -- the lease's way from one execution to the next, on any thread -----------------------

    def _begin(self, run: _Run) -> bool:
        """Mark it running, unless it was stopped while it waited."""
        if not self._registry.start(run.execution_id):
            return False
        run.record.token.arm_deadline(run.timeout_s)
        run.context.run(
            log.info,
            "execution %s (%s) started on %s",
            run.execution_id,
            run.record.kind.value,
            run.device_id,
        )
        return True

    def _next(self, device_id: str, execution_id: str) -> _Run | None:
        """Pass the lease of `execution_id` on: the next execution that starts, begun."""
        holder: str | None = execution_id
        while holder is not None:
            holder = self._leases.pass_on(device_id, holder)
            run = None if holder is None else self._runs.get(holder)
            if run is None:
                continue  # none left, or its task ended as it waited (the host stops)
            if self._begin(run):
                self._calls.post(resolve, run.started)
                return run
            self._calls.post(run.ended)  # stopped while it waited
        return None

    def _chain(self, run: _Run) -> None:
        """In a worker thread: run `run`, then each execution its device's lease passes to."""
        following: _Run | None = run
        while following is not None:
            current = following
            try:
                current.context.run(self._work, current)
            except Exception as crash:  # failed before it could record an outcome
                log.error("execution %s: worker thread failed: %r", current.execution_id, crash)
                error = ExecutionError(code="internal_error", message=f"{crash!r}")
                self._registry.finish(current.execution_id, ExecutionStatus.error, error=error)
            self._calls.post(current.ended)
            # Only once the outcome is recorded: the next start never comes before it.
            following = self._next(current.device_id, current.execution_id)

    def _work(self, run: _Run) -> None:
        """Run the job, then record the outcome (ignored if a stop was reported)."""
        record = run.record
        device = self._devices.get(record.device_id)
        device.driver.begin(record.execution_id)
        try:
            outcome = self._run(record, device, run.job, run.timeout_s)
        finally:
            device.driver.end(record.execution_id)
            device.offline_since()  # an outage the run found shows from now on
        # First: from the moment the outcome shows, the device shows idle, never `stuck`.
        self._leases.mark_returned(record.device_id, record.execution_id)
        self._registry.finish(
            record.execution_id, outcome.status, result=outcome.result, error=outcome.error
        )

    def _run(self, record: ExecutionRecord, device: Device, job: Job, timeout_s: float) -> Outcome:
        settings = self._settings
        limits = RunLimits(
            settings.max_value_bytes, settings.max_result_bytes, settings.max_message_chars
        )
        ctx = RunContext(
            execution_id=record.execution_id,
            device=device,
            token=record.token,
            report=RegistryReport(self._registry, record.execution_id, self._artifacts, limits),
            log=execution_logger(f"executor.{record.kind.value}"),
            capture=record.capture,
            limits=limits,
        )
        return run_job(job, ctx, limits, timeout_s)

    def _forget(self, execution_id: str) -> None:
        self._tasks.pop(execution_id, None)
        self._runs.pop(execution_id, None)


def _result_so_far(record: ExecutionRecord, reason: StopReason) -> ExecutionResult | None:
    """What a stuck run did before its driver stopped answering, if its kind tells."""
    build = record.so_far
    if build is None:
        return None
    try:
        return build(reason)
    except Exception:  # the end is recorded all the same, without a result
        log.exception("execution %s: its result so far could not be made", record.execution_id)
        return None
