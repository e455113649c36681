"""Verification batches: checks with wait-for polling, `all` or `any` to pass."""

from host_service.drivers import Device
from host_service.kinds.base import Executor
from host_service.steps.checks import raise_if_problems, verification_problems
from host_service.steps.context import RunContext
from host_service.steps.verification import run_verification
from schemas import (
    ExecutionKind,
    PassCondition,
    VerificationBatchRequest,
    VerificationBatchResult,
    VerificationResult,
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
