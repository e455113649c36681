"""ExecutionOrchestrator: queue, deadline, cancel, log capture and outcome of every run.

An execution that finds its device free is started by its asyncio task, which hands
the executor to a worker thread of the loop's default executor (what
`asyncio.to_thread` uses). The thread records the outcome itself, so a client sees it
the moment the work returns, however busy the event loop is; then it passes the
device's lease on and runs the next execution in line itself, with no turn of the
event loop in between (`lease_chain.py`, docs/architecture.md). Each execution's task
supervises it all along: it waits in the queue (up to the queue wait limit), then for
the first of: the work returning, a cancel request, the deadline. A stop that the work
does not honour within `stop_grace_s` is reported anyway; the lease stays held until
the thread returns (`stuck`).
"""

import asyncio
import contextvars
from concurrent.futures import Executor as ThreadPool
from typing import Any

from host_service.engine.artifact_store import ArtifactStore
from host_service.engine.devices import DeviceCatalog
from host_service.engine.lease_chain import LeaseChain
from host_service.engine.leases import DeviceLeases
from host_service.engine.outcome import STOP_STATUS, stop_error
from host_service.engine.record import ExecutionRecord
from host_service.engine.registry import ExecutionRegistry
from host_service.engine.run import Run
from host_service.errors import ConflictError
from host_service.kinds import Job
from host_service.runtime.cancel import StopReason
from host_service.runtime.logs import current_execution_id, execution_logger
from host_service.runtime.loop_calls import LoopCalls, resolve
from host_service.settings import HostSettings
from schemas import (
    CapturePolicy,
    ExecutionError,
    ExecutionKind,
    ExecutionResult,
    ExecutionStatus,
)
from service_common.ids import ExecutionIds

log = execution_logger("orchestrator")


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
        self._registry = registry
        self._leases = leases
        self._devices = devices
        self._settings = settings
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._runs: dict[str, Run] = {}  # every accepted execution until its task ends
        self._chain = LeaseChain(
            registry, leases, devices, settings, pool, artifacts, calls, self._runs
        )
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
        run = Run(record, job, timeout_s, context, asyncio.get_running_loop())
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
                self._chain.hand_on(record.device_id, execution_id)  # held it, never ran
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

    async def _drive(self, run: Run, granted: bool) -> None:
        if granted:
            if self._chain.begin(run):
                self._chain.run(run)
            else:  # cancelled as the lease came
                self._chain.hand_on(run.device_id, run.execution_id)
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

    def _queue_timeout(self, run: Run) -> None:
        error = ExecutionError(
            code="queue_timeout",
            message=f"device {run.device_id} stayed busy past the queue wait limit",
            details={"queue_wait_limit_s": self._settings.queue_wait_limit_s},
        )
        self._registry.finish_queued(run.execution_id, ExecutionStatus.timed_out, error=error)

    async def _stop_or_return(self, run: Run) -> None:
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
