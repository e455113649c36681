"""ExecutionOrchestrator: queue, deadline, cancel, log capture and outcome of every run.

Each execution is one asyncio task: it waits for its device lease, marks the
record running and hands the executor to a worker thread of the loop's default
executor (what `asyncio.to_thread` uses). The thread records the outcome
itself, so a client sees it the moment the work returns, however busy the
event loop is. The task waits for the first of: the thread returning, a cancel
request, the deadline. A stop that the work does not honour within
`stop_grace_s` is reported anyway; the lease stays held until the thread
returns (`stuck`). From one execution's return to the next one's start on the
same device takes three turns of the event loop (docs/architecture.md).
"""

import asyncio
import contextlib
import contextvars
from concurrent.futures import Executor as ThreadPool
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from host_service.drivers import Device, DriverError
from host_service.engine.artifact_store import ArtifactStore
from host_service.engine.devices import DeviceCatalog
from host_service.engine.ids import ExecutionIds
from host_service.engine.leases import DeviceLeases
from host_service.engine.record import ExecutionRecord
from host_service.engine.registry import ExecutionRegistry
from host_service.engine.run_report import RegistryReport
from host_service.errors import ConflictError
from host_service.kinds import Job
from host_service.runtime.cancel import ExecutionStopped, StopReason
from host_service.runtime.limits import LimitExceededError, RunLimits
from host_service.runtime.logs import current_execution_id, execution_logger
from host_service.runtime.loop_calls import call_soon, resolve
from host_service.settings import HostSettings
from host_service.steps.context import RunContext
from schemas import (
    CapturePolicy,
    ExecutionError,
    ExecutionKind,
    ExecutionResult,
    ExecutionStatus,
)

log = execution_logger("orchestrator")

_STOP_STATUS = {
    StopReason.cancelled: ExecutionStatus.cancelled,
    StopReason.timed_out: ExecutionStatus.timed_out,
    StopReason.shutdown: ExecutionStatus.interrupted,
}


@dataclass(frozen=True)
class _Outcome:
    status: ExecutionStatus
    result: ExecutionResult | None = None
    error: ExecutionError | None = None


def _stop_error(reason: StopReason, timeout_s: float) -> ExecutionError | None:
    if reason is StopReason.timed_out:
        return ExecutionError(
            code="deadline_exceeded", message=f"stopped by its deadline of {timeout_s:g} s"
        )
    if reason is StopReason.shutdown:
        return ExecutionError(code="host_stopped", message="the host stopped while it ran")
    return None


class ExecutionOrchestrator:
    def __init__(
        self,
        registry: ExecutionRegistry,
        leases: DeviceLeases,
        devices: DeviceCatalog,
        settings: HostSettings,
        pool: ThreadPool,
        artifacts: ArtifactStore,
    ) -> None:
        """`pool` runs the work: the loop's default executor, sized from the device count."""
        self._artifacts = artifacts
        self._registry = registry
        self._pool = pool
        self._leases = leases
        self._devices = devices
        self._settings = settings
        self._tasks: dict[str, asyncio.Task[None]] = {}
        # Resolved when the execution's thread returns or a stop is asked, whichever first.
        self._wakes: dict[str, asyncio.Future[None]] = {}
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
        self._wakes[record.execution_id] = asyncio.get_running_loop().create_future()
        grant = self._leases.request(device_id, record.execution_id)
        task = asyncio.create_task(self._drive(record, job, timeout_s, grant))
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
        if record.status is ExecutionStatus.queued:
            # Recorded first, so the task's CancelledError is not mistaken for a crash.
            self._registry.finish(
                execution_id, ExecutionStatus.cancelled, message="cancelled while queued"
            )
            self._leases.withdraw(record.device_id, execution_id)  # even if its task never ran
            task = self._tasks.get(execution_id)
            if task is not None:
                task.cancel()
            return
        record.token.cancel(StopReason.cancelled)
        wake = self._wakes.get(execution_id)
        if wake is not None:
            resolve(wake)

    async def shutdown(self) -> None:
        """Stop everything: unfinished executions become `interrupted`."""
        for record in self._registry.active():
            record.token.cancel(StopReason.shutdown)
            self._registry.finish(
                record.execution_id,
                ExecutionStatus.interrupted,
                error=_stop_error(StopReason.shutdown, 0),
            )
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # -- one execution ---------------------------------------------------------------------

    async def _drive(
        self,
        record: ExecutionRecord,
        job: Job,
        timeout_s: float,
        grant: asyncio.Future[None],
    ) -> None:
        execution_id, device_id = record.execution_id, record.device_id
        current_execution_id.set(execution_id)  # copied into the worker thread's context
        try:
            async with asyncio.timeout(self._settings.queue_wait_limit_s):
                await grant
        except BaseException as exc:  # timeout, or cancelled while queued: leave the queue
            self._leases.withdraw(device_id, execution_id)
            if not isinstance(exc, TimeoutError):
                raise
            error = ExecutionError(
                code="queue_timeout",
                message=f"device {device_id} stayed busy past the queue wait limit",
                details={"queue_wait_limit_s": self._settings.queue_wait_limit_s},
            )
            self._registry.finish(execution_id, ExecutionStatus.timed_out, error=error)
            return
        if not self._registry.start(execution_id):  # cancelled as the lease came
            self._leases.release(device_id, execution_id)
            return
        record.token.arm_deadline(timeout_s)
        log.info("execution %s (%s) started on %s", execution_id, record.kind.value, device_id)
        loop = asyncio.get_running_loop()
        wake = self._wakes[execution_id]
        work = self._pool.submit(contextvars.copy_context().run, self._work, record, job, timeout_s)
        work.add_done_callback(lambda _: call_soon(loop, resolve, wake))
        try:
            await self._stop_or_return(record, work, wake, timeout_s)
            crash = work.exception() if work.done() and not work.cancelled() else None
            if crash is not None:  # the thread failed before it could record an outcome
                log.error("execution %s: worker thread failed: %r", execution_id, crash)
                error = ExecutionError(code="internal_error", message=f"{crash!r}")
                self._registry.finish(execution_id, ExecutionStatus.error, error=error)
        finally:
            # Released once the outcome is recorded, so the next execution's start never
            # comes before this one's finish; and never before the thread returns (stuck).
            if work.done():
                self._leases.release(device_id, execution_id)
            else:
                work.add_done_callback(
                    lambda _: call_soon(loop, self._leases.release, device_id, execution_id)
                )

    async def _stop_or_return(
        self,
        record: ExecutionRecord,
        work: "Future[None]",
        wake: asyncio.Future[None],
        timeout_s: float,
    ) -> None:
        """Wait for the first of: the work returning, a cancel request, the deadline.

        The work records its own outcome; this records one only for work that
        ignores a stop past the grace period (its device is then `stuck`).
        """
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                await wake
        if work.done():
            return
        reason = record.token.reason or StopReason.timed_out
        record.token.cancel(reason)
        await asyncio.wait({asyncio.wrap_future(work)}, timeout=self._settings.stop_grace_s)
        if work.done():
            return
        log.warning(
            "execution %s: driver call ignores the stop; device %s is stuck",
            record.execution_id,
            record.device_id,
        )
        error = _stop_error(reason, timeout_s)
        self._registry.finish(record.execution_id, _STOP_STATUS[reason], error=error)

    def _work(self, record: ExecutionRecord, job: Job, timeout_s: float) -> None:
        """Run in a worker thread, then record the outcome (ignored if a stop was reported)."""
        device = self._devices.get(record.device_id)
        device.driver.begin(record.execution_id)
        try:
            outcome = self._run(record, device, job, timeout_s)
        finally:
            device.driver.end(record.execution_id)
            device.offline_since()  # an outage the run found shows from now on
        # First: from the moment the outcome shows, the device shows idle, never `stuck`.
        self._leases.mark_returned(record.device_id, record.execution_id)
        self._registry.finish(
            record.execution_id, outcome.status, result=outcome.result, error=outcome.error
        )

    def _run(self, record: ExecutionRecord, device: Device, job: Job, timeout_s: float) -> _Outcome:
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
        try:
            result = job(ctx)
            limits.result(len(result.__pydantic_serializer__.to_json(result)))
            return _Outcome(ExecutionStatus.completed, result=result)
        except ExecutionStopped as stop:  # with the result so far, for kinds that keep one
            error = _stop_error(stop.reason, timeout_s)
            return _Outcome(_STOP_STATUS[stop.reason], result=stop.partial, error=error)
        except (DriverError, LimitExceededError) as exc:
            ctx.log.error("%s: %s", exc.code, limits.shorten(exc.message))
            error = ExecutionError(code=exc.code, message=limits.shorten(exc.message))
            return _Outcome(ExecutionStatus.error, error=error)
        except Exception as exc:
            ctx.log.exception("execution crashed")
            message = limits.shorten(f"{type(exc).__name__}: {exc}")
            return _Outcome(
                ExecutionStatus.error, error=ExecutionError(code="internal_error", message=message)
            )

    def _forget(self, execution_id: str) -> None:
        self._tasks.pop(execution_id, None)
        self._wakes.pop(execution_id, None)
