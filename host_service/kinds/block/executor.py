"""Standard block lists: blocks in order, outputs written to shared variables."""

import time
from typing import Any

from host_service.blocks import (
    BlockError,
    block_problems,
    resolve_params,
    run_resolved,
    undefined_variable_problems,
)
from host_service.drivers import Device
from host_service.kinds.base import Executor
from host_service.runtime.limits import LimitExceededError
from host_service.steps.checks import raise_if_problems
from host_service.steps.context import RunContext
from schemas import (
    BlockCall,
    BlockResult,
    ExecutionKind,
    StandardBlocksRequest,
    StandardBlocksResult,
)


def _label(index: int, call: BlockCall) -> str:
    return call.label or f"{index + 1}. {call.name}"


class BlockExecutor(Executor[StandardBlocksRequest, StandardBlocksRequest]):
    kind = ExecutionKind.block
    default_timeout_s = 30.0
    max_timeout_s = 3600.0

    def prepare(
        self, request: StandardBlocksRequest, device: Device, path: dict[str, str]
    ) -> StandardBlocksRequest:
        problems: list[dict[str, Any]] = []
        for index, call in enumerate(request.blocks):
            problems += block_problems(call.name, call.params, ["blocks", index])
        if not problems:
            calls = [(call.name, call.params) for call in request.blocks]
            problems = undefined_variable_problems(calls, set(request.variables), ["blocks"])
        raise_if_problems(problems)
        return request

    def run(self, ctx: RunContext, plan: StandardBlocksRequest) -> StandardBlocksResult:
        calls = plan.blocks
        step_ids = [f"block-{i}" for i in range(len(calls))]
        ctx.declare_steps([(step_ids[i], _label(i, call)) for i, call in enumerate(calls)])
        variables: dict[str, Any] = dict(plan.variables)
        results: list[BlockResult] = []
        for index, call in enumerate(calls):
            ctx.token.check()
            ctx.progress(index, len(calls), f"block {index + 1}/{len(calls)}: {call.name}")
            started = ctx.step_running(step_ids[index], _label(index, call))
            try:
                params = resolve_params(call.name, call.params, variables, ctx.limits)
                ctx.limits.count(f"block {index + 1}: its params", params)
                outcome = run_resolved(call.name, params, ctx)
            except (BlockError, LimitExceededError) as exc:
                # The step shows why the run ended; the orchestrator sets the status. A stop
                # leaves the step running, and the registry ends it `cancelled`.
                ctx.step_done(step_ids[index], started, False, str(exc))
                raise
            variables.update(outcome.outputs)
            ctx.step_done(step_ids[index], started, outcome.success, outcome.message)
            ctx.log.info(
                "block %d %s %s: %s",
                index + 1,
                call.name,
                "passed" if outcome.success else "failed",
                outcome.message,
            )
            results.append(
                BlockResult(
                    index=index,
                    name=call.name,
                    label=_label(index, call),
                    params=params,
                    success=outcome.success,
                    outputs=outcome.outputs,
                    duration_ms=(time.monotonic() - started) * 1000,
                    message=outcome.message,
                )
            )
            if not outcome.success and not call.continue_on_fail:
                break
        passed = sum(1 for r in results if r.success)
        # As in action batches, continue_on_fail carries on but the failure still counts.
        return StandardBlocksResult(
            success=passed == len(calls),
            total=len(calls),
            passed=passed,
            failed=len(results) - passed,
            skipped=len(calls) - len(results),
            results=results,
            variables=variables,
        )
