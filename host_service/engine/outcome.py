"""An execution's outcome: what its job's return or exception means for its record."""

from dataclasses import dataclass

from host_service.drivers import DriverError
from host_service.kinds import Job
from host_service.runtime.cancel import ExecutionStopped, StopReason
from host_service.runtime.limits import LimitExceededError, RunLimits
from host_service.steps.context import RunContext
from schemas import ExecutionError, ExecutionResult, ExecutionStatus

STOP_STATUS = {
    StopReason.cancelled: ExecutionStatus.cancelled,
    StopReason.timed_out: ExecutionStatus.timed_out,
    StopReason.shutdown: ExecutionStatus.interrupted,
}


@dataclass(frozen=True)
class Outcome:
    status: ExecutionStatus
    result: ExecutionResult | None = None
    error: ExecutionError | None = None


def stop_error(reason: StopReason, timeout_s: float) -> ExecutionError | None:
    if reason is StopReason.timed_out:
        return ExecutionError(
            code="deadline_exceeded", message=f"stopped by its deadline of {timeout_s:g} s"
        )
    if reason is StopReason.shutdown:
        return ExecutionError(code="host_stopped", message="the host stopped while it ran")
    return None


def run_job(job: Job, ctx: RunContext, limits: RunLimits, timeout_s: float) -> Outcome:
    """Run the job in the calling (worker) thread; every way it can end, as an outcome."""
    try:
        result = job(ctx)
        limits.result(len(result.__pydantic_serializer__.to_json(result)))
        return Outcome(ExecutionStatus.completed, result=result)
    except ExecutionStopped as stop:  # with the result so far, for kinds that keep one
        error = stop_error(stop.reason, timeout_s)
        return Outcome(STOP_STATUS[stop.reason], result=stop.partial, error=error)
    except (DriverError, LimitExceededError) as exc:
        ctx.log.error("%s: %s", exc.code, limits.shorten(exc.message))
        error = ExecutionError(code=exc.code, message=limits.shorten(exc.message))
        return Outcome(ExecutionStatus.error, error=error)
    except Exception as exc:
        ctx.log.exception("execution crashed")
        message = limits.shorten(f"{type(exc).__name__}: {exc}")
        return Outcome(
            ExecutionStatus.error, error=ExecutionError(code="internal_error", message=message)
        )
