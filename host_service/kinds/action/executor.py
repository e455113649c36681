"""Action batches: main actions, retry actions if main failed, failure actions as cleanup."""

import time
from typing import Any

from host_service.engine.devices import Device
from host_service.kinds.base import Executor
from host_service.steps.checks import action_problems, raise_if_problems
from host_service.steps.context import RunContext
from schemas import (
    Action,
    ActionBatchRequest,
    ActionBatchResult,
    ActionCategory,
    ActionResult,
    ExecutionKind,
)


def run_action(
    ctx: RunContext, action: Action, index: int, category: ActionCategory
) -> ActionResult:
    """Run one action `iterator` times, stopping at its first failed iteration."""
    started = time.monotonic()
    output: dict[str, Any] = {}
    message = ""
    success = True
    iterations = 0
    # A command may move the device: tracked navigation positions are stale from here
    # on, until navigation checks where the device is again.
    ctx.device.positions.clear()
    for _ in range(action.iterator):
        ctx.token.check()
        iterations += 1
        outcome = ctx.device.driver.execute(action.command, action.params, ctx.token)
        output.update(outcome.output)
        message = outcome.message
        if not outcome.success:
            success = False
            break
        if action.wait_time_ms:
            ctx.token.wait(action.wait_time_ms / 1000)
    ctx.log.info(
        "%s %s %s: %s", category.value, action.command, "passed" if success else "failed", message
    )
    return ActionResult(
        index=index,
        category=category,
        command=action.command,
        params=action.params,
        success=success,
        iterations_run=iterations,
        iterations_requested=action.iterator,
        duration_ms=(time.monotonic() - started) * 1000,
        message=message,
        output_data=output,
    )


class ActionBatchExecutor(Executor[ActionBatchRequest, ActionBatchRequest]):
    kind = ExecutionKind.action
    default_timeout_s = 30.0
    max_timeout_s = 600.0

    def prepare(
        self, request: ActionBatchRequest, device: Device, path: dict[str, str]
    ) -> ActionBatchRequest:
        raise_if_problems(
            action_problems(request.actions, device, ["actions"])
            + action_problems(request.retry_actions, device, ["retry_actions"])
            + action_problems(request.failure_actions, device, ["failure_actions"])
        )
        return request

    def run(self, ctx: RunContext, plan: ActionBatchRequest) -> ActionBatchResult:
        groups = [
            (ActionCategory.main, plan.actions),
            (ActionCategory.retry, plan.retry_actions),
            (ActionCategory.failure, plan.failure_actions),
        ]
        ctx.declare_steps(
            [
                (f"{cat.value}-{i}", f"{cat.value} {a.command}")
                for cat, items in groups
                for i, a in enumerate(items)
            ]
        )
        total = sum(len(items) for _, items in groups)
        results: list[ActionResult] = []

        def run_group(category: ActionCategory, actions: list[Action], stop_on_fail: bool) -> bool:
            passed = True
            for index, action in enumerate(actions):
                step_id = f"{category.value}-{index}"
                ctx.progress(
                    len(results), total, f"{category.value} action {index + 1}/{len(actions)}"
                )
                started = ctx.step_running(step_id, f"{category.value} {action.command}")
                result = run_action(ctx, action, index, category)
                ctx.step_done(step_id, started, result.success, result.message)
                results.append(result)
                if not result.success:
                    passed = False
                    if stop_on_fail and not action.continue_on_fail:
                        break
            return passed

        main_ok = run_group(ActionCategory.main, plan.actions, stop_on_fail=True)
        retry_ok: bool | None = None
        if not main_ok and plan.retry_actions:
            # Retry actions stop at their first failure, whatever continue_on_fail says.
            retry_ok = run_group(
                ActionCategory.retry,
                [a.model_copy(update={"continue_on_fail": False}) for a in plan.retry_actions],
                stop_on_fail=True,
            )
        success = main_ok or bool(retry_ok)
        if not success and plan.failure_actions:
            run_group(ActionCategory.failure, plan.failure_actions, stop_on_fail=False)
        output: dict[str, Any] = {}
        for result in results:
            output.update(result.output_data)
        passed = sum(1 for r in results if r.success)
        return ActionBatchResult(
            success=success,
            total=len(results),
            passed=passed,
            failed=len(results) - passed,
            main_success=main_ok,
            retry_success=retry_ok,
            results=results,
            output_data=output,
        )
