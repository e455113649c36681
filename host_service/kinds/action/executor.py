"""Action batches: main actions, retry actions if main failed, failure actions as cleanup."""

from typing import Any

from host_service.drivers import Device
from host_service.kinds.base import Executor
from host_service.steps.batch import ActionLists, run_batch
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
        lists = ActionLists(plan.actions, plan.retry_actions, plan.failure_actions)
        groups = lists.groups()
        ctx.declare_steps(
            [
                (f"{cat.value}-{i}", f"{cat.value} {a.command}")
                for cat, items in groups
                for i, a in enumerate(items)
            ]
        )
        total = sum(len(items) for _, items in groups)
        sizes = {cat: len(items) for cat, items in groups}
        done = 0
        started: dict[str, float] = {}

        def before(category: ActionCategory, index: int, action: Action) -> None:
            step_id = f"{category.value}-{index}"
            label = f"{category.value} action {index + 1}/{sizes[category]}"
            ctx.progress(done, total, label)
            started[step_id] = ctx.step_running(step_id, f"{category.value} {action.command}")

        def after(category: ActionCategory, index: int, result: ActionResult) -> None:
            nonlocal done
            step_id = f"{category.value}-{index}"
            ctx.step_done(step_id, started[step_id], result.success, result.message)
            done += 1

        outcome = run_batch(ctx, lists, before=before, after=after)
        passed = sum(1 for r in outcome.results if r.success)
        output: dict[str, Any] = outcome.output_data()
        return ActionBatchResult(
            success=outcome.success,
            total=len(outcome.results),
            passed=passed,
            failed=len(outcome.results) - passed,
            main_success=outcome.main_success,
            retry_success=outcome.retry_success,
            results=outcome.results,
            output_data=output,
        )
