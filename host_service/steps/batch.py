"""The one rule for every list of actions: action batches, navigation edges, testcase nodes.

Main actions run in order and stop at the first failure unless that action has
`continue_on_fail` (the list still counts as failed). If main failed and retry
actions exist, they run, stopping at their first failure whatever their
`continue_on_fail`; the batch passes if they all passed. If it has still
failed, failure actions all run as cleanup and never change the outcome.

A navigation edge adds a check after each list (wait, then verify the target
node): `then` runs after main and after retry passed, and its failure counts
as the list's failure.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from host_service.steps.action import run_action
from host_service.steps.context import RunContext
from schemas import Action, ActionCategory, ActionResult

# Called before and after each action, for kinds that show every action as a live step.
BeforeAction = Callable[[ActionCategory, int, Action], None]
AfterAction = Callable[[ActionCategory, int, ActionResult], None]


@dataclass
class BatchOutcome:
    success: bool
    main_success: bool
    retry_success: bool | None  # None: retry actions did not run
    results: list[ActionResult] = field(default_factory=list)

    def output_data(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for result in self.results:
            merged.update(result.output_data)
        return merged

    def failures(self) -> list[str]:
        return [f"{r.command}: {r.message}" for r in self.results if not r.success]


@dataclass
class ActionLists:
    main: list[Action]
    retry: list[Action] = field(default_factory=list)
    failure: list[Action] = field(default_factory=list)

    def groups(self) -> list[tuple[ActionCategory, list[Action]]]:
        return [
            (ActionCategory.main, self.main),
            (ActionCategory.retry, self.retry),
            (ActionCategory.failure, self.failure),
        ]


def _run_list(
    ctx: RunContext,
    category: ActionCategory,
    actions: list[Action],
    into: list[ActionResult],
    before: BeforeAction | None,
    after: AfterAction | None,
) -> bool:
    passed = True
    for index, action in enumerate(actions):
        if before is not None:
            before(category, index, action)
        result = run_action(ctx, action, index, category)
        if after is not None:
            after(category, index, result)
        into.append(result)
        if result.success:
            continue
        passed = False
        may_go_on = category is ActionCategory.failure or (
            category is ActionCategory.main and action.continue_on_fail
        )
        if not may_go_on:
            break
    return passed


def run_batch(
    ctx: RunContext,
    lists: ActionLists,
    *,
    then: Callable[[], bool] | None = None,
    before: BeforeAction | None = None,
    after: AfterAction | None = None,
) -> BatchOutcome:
    results: list[ActionResult] = []

    def attempt(category: ActionCategory, actions: list[Action]) -> bool:
        ok = _run_list(ctx, category, actions, results, before, after)
        return ok and (then is None or then())

    main_ok = attempt(ActionCategory.main, lists.main)
    retry_ok: bool | None = None
    if not main_ok and lists.retry:
        ctx.log.info("main actions failed; running the retry actions")
        retry_ok = attempt(ActionCategory.retry, lists.retry)
    success = main_ok or bool(retry_ok)
    if not success and lists.failure:
        _run_list(ctx, ActionCategory.failure, lists.failure, results, before, after)
    return BatchOutcome(success, main_ok, retry_ok, results)
