"""LeaseChain: a device's lease passed from one execution to the next, on worker threads.

The worker thread whose execution returns records its outcome, passes the device's lease
on and runs the next execution in line itself, with no turn of the event loop in between
(docs/architecture.md); the loop hears of each start and end through `LoopCalls`.
"""

from concurrent.futures import Executor as ThreadPool

from host_service.drivers import Device
from host_service.engine.artifact_store import ArtifactStore
from host_service.engine.devices import DeviceCatalog
from host_service.engine.leases import DeviceLeases
from host_service.engine.outcome import Outcome, run_job
from host_service.engine.record import ExecutionRecord
from host_service.engine.registry import ExecutionRegistry
from host_service.engine.run import Run
from host_service.engine.run_report import RegistryReport
from host_service.kinds import Job
from host_service.runtime.limits import RunLimits
from host_service.runtime.logs import execution_logger
from host_service.runtime.loop_calls import LoopCalls, resolve
from host_service.settings import HostSettings
from host_service.steps.context import RunContext
from schemas import ExecutionError, ExecutionStatus

log = execution_logger("orchestrator")


class LeaseChain:
    def __init__(
        self,
        registry: ExecutionRegistry,
        leases: DeviceLeases,
        devices: DeviceCatalog,
        settings: HostSettings,
        pool: ThreadPool,
        artifacts: ArtifactStore,
        calls: LoopCalls,
        runs: dict[str, Run],
    ) -> None:
        """`runs`: every accepted execution until its task ends, the orchestrator's (worker
        threads look up the one a lease passes to: dictionary reads, atomic under the GIL)."""
        self._registry = registry
        self._leases = leases
        self._devices = devices
        self._settings = settings
        self._pool = pool
        self._artifacts = artifacts
        self._calls = calls
        self._runs = runs

    def run(self, run: Run) -> None:
        """Run `run` on a worker thread (it holds its device's lease and has begun), then
        what its lease passes to."""
        self._pool.submit(self._chain, run)

    def hand_on(self, device_id: str, execution_id: str) -> None:
        """On the loop: pass on a lease whose holder will not run; the next one runs."""
        run = self._next(device_id, execution_id)
        if run is not None:
            self.run(run)

    def begin(self, run: Run) -> bool:
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

    def _next(self, device_id: str, execution_id: str) -> Run | None:
        """Pass the lease of `execution_id` on: the next execution that starts, begun."""
        holder: str | None = execution_id
        while holder is not None:
            holder = self._leases.pass_on(device_id, holder)
            run = None if holder is None else self._runs.get(holder)
            if run is None:
                continue  # none left, or its task ended as it waited (the host stops)
            if self.begin(run):
                self._calls.post(resolve, run.started)
                return run
            self._calls.post(run.ended)  # stopped while it waited
        return None

    def _chain(self, run: Run) -> None:
        """In a worker thread: run `run`, then each execution its device's lease passes to."""
        following: Run | None = run
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

    def _work(self, run: Run) -> None:
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
