"""Verification batches: checks with wait-for polling, `all` or `any` to pass."""

import time

from host_service.engine.devices import Device
from host_service.kinds.base import Executor
from host_service.steps.checks import raise_if_problems, verification_problems
from host_service.steps.context import RunContext
from schemas import (
    ExecutionKind,
    PassCondition,
    Verification,
    VerificationBatchRequest,
    VerificationBatchResult,
    VerificationResult,
)


def run_verification(ctx: RunContext, item: Verification, index: int) -> VerificationResult:
    """Check once, or poll until the condition holds or `item.timeout_s` passes."""
    driver = ctx.device.driver
    started = time.monotonic()
    polls = driver.polls(item.type, item.command)
    give_up = started + item.timeout_s
    while True:
        ctx.token.check()
        seen = driver.observe(item.type, item.command, item.params, ctx.token)
        if seen.success or not polls or time.monotonic() >= give_up:
            break
        ctx.token.wait(min(driver.poll_interval_s(), max(0.0, give_up - time.monotonic())))
    duration_ms = (time.monotonic() - started) * 1000
    message = "" if seen.success else f"expected {seen.expected}, saw {seen.observed}"
    if polls and not seen.success:
        message += f" after {item.timeout_s:g} s"
    ctx.log.info(
        "verify %s.%s %s %s",
        item.type,
        item.command,
        item.params,
        "passed" if seen.success else "failed",
    )
    return VerificationResult(
        index=index,
        type=item.type,
        command=item.command,
        params=item.params,
        success=seen.success,
        expected=seen.expected,
        observed=seen.observed,
        duration_ms=duration_ms,
        message=message,
    )


class VerificationBatchExecutor(Executor[VerificationBatchRequest, VerificationBatchRequest]):
    kind = ExecutionKind.verification
    default_timeout_s = 30.0
    max_timeout_s = 600.0

    def prepare(
        self, request: VerificationBatchRequest, device: Device, path: dict[str, str]
    ) -> VerificationBatchRequest:
        raise_if_problems(verification_problems(request.verifications, device, ["verifications"]))
        return request

    def run(self, ctx: RunContext, plan: VerificationBatchRequest) -> VerificationBatchResult:
        items = plan.verifications
        ctx.declare_steps([(f"verify-{i}", f"{v.type}.{v.command}") for i, v in enumerate(items)])
        results: list[VerificationResult] = []
        for index, item in enumerate(items):
            ctx.progress(index, len(items), f"verification {index + 1}/{len(items)}")
            step_id = f"verify-{index}"
            started = ctx.step_running(step_id, f"{item.type}.{item.command}")
            result = run_verification(ctx, item, index)
            ctx.step_done(step_id, started, result.success, result.message)
            results.append(result)
        passed = sum(1 for r in results if r.success)
        needed = len(results) if plan.pass_condition is PassCondition.all else 1
        success = passed >= needed
        return VerificationBatchResult(
            success=success,
            pass_condition=plan.pass_condition,
            total=len(results),
            passed=passed,
            failed=len(results) - passed,
            results=results,
        )
