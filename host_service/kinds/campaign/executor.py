"""Campaigns: testcases in order on one device, outputs chained, one result per item."""

import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from host_service.drivers import Device
from host_service.errors import NotFoundError, field_error
from host_service.kinds.base import Executor
from host_service.kinds.campaign.chaining import REFERENCE, chaining_problems
from host_service.kinds.campaign.item import (
    ItemStopped,
    campaign_stop,
    item_testcase,
    run_item,
    unanswered,
)
from host_service.kinds.testcase.executor import check_testcase
from host_service.library import DefinitionLibrary
from host_service.runtime.cancel import ExecutionStopped, StopReason
from host_service.steps.checks import raise_if_problems
from host_service.steps.context import RunContext
from schemas import ExecutionKind
from schemas.campaign import (
    CampaignDefinition,
    CampaignItem,
    CampaignItemResult,
    CampaignRequest,
    CampaignResult,
)
from schemas.testcase import TestcaseDefinition


@dataclass(frozen=True)
class CampaignPlan:
    campaign: CampaignDefinition
    continue_on_failure: bool
    testcases: list[TestcaseDefinition]  # per item, resolved at start
    library: DefinitionLibrary  # as it was at start: a reload does not change a run


class CampaignExecutor(Executor[CampaignRequest, CampaignPlan]):
    kind = ExecutionKind.campaign
    default_timeout_s = 7200.0
    max_timeout_s = 86_400.0

    def prepare(
        self, request: CampaignRequest, device: Device, path: dict[str, str]
    ) -> CampaignPlan:
        library = self.env.library.snapshot()
        testcases = []
        campaign = request.campaign or library.campaigns.get(str(request.campaign_id))
        problems = chaining_problems(campaign, ["campaign"])
        for index, item in enumerate(campaign.items):
            loc: list[str | int] = ["campaign", "items", index]
            try:
                testcase = item_testcase(item, library)
                testcases.append(testcase)
            except NotFoundError as exc:
                problems.append(field_error([*loc, "testcase_id"], exc.message))
                continue
            _, definition_problems, input_problems = check_testcase(
                testcase, item.testcase is not None, item.inputs, device, library, loc
            )
            chained = {
                k for k, v in item.inputs.items() if isinstance(v, str) and REFERENCE.search(v)
            }
            # A chained value's type is known only when its item has run.
            problems += definition_problems + [
                p
                for p in input_problems
                if not (p["loc"][-1] in chained and p["msg"].startswith("expected"))
            ]
        raise_if_problems(problems)
        keep_going = campaign.continue_on_failure
        if request.continue_on_failure is not None:
            keep_going = request.continue_on_failure
        return CampaignPlan(campaign, keep_going, testcases, library)

    def run(self, ctx: RunContext, plan: CampaignPlan) -> CampaignResult:
        campaign = plan.campaign
        items = campaign.items
        ctx.declare_steps([(item.key, item.key) for item in items])
        started = time.monotonic()
        results: list[CampaignItemResult] = []
        done: dict[str, CampaignItemResult] = {}

        def elapsed_ms() -> float:
            return (time.monotonic() - started) * 1000

        def stopped_at(index: int, item: CampaignItemResult, reason: StopReason) -> CampaignResult:
            """The result so far: items done, the one stopped, the rest not run."""
            why = f"not run: {campaign_stop(reason)}"
            later = zip(items[index + 1 :], plan.testcases[index + 1 :], strict=True)
            rest = [_skipped(i, t, why) for i, t in later]
            return _totals(campaign, [*results[:index], item, *rest], elapsed_ms())

        def hung(index: int, step_started: float, reason: StopReason) -> CampaignResult:
            """Item `index`'s driver call ignored the stop: the result so far all the same."""
            spent = (time.monotonic() - step_started) * 1000
            return stopped_at(
                index, unanswered(items[index], plan.testcases[index], reason, spent), reason
            )

        stop = False
        for index, item in enumerate(items):
            if stop:
                results.append(
                    _skipped(item, plan.testcases[index], "skipped after an earlier item failed")
                )
                continue
            where = f"item {index + 1}/{len(items)} {item.key}"
            ctx.progress(index, len(items), where)
            step_started = ctx.step_running(item.key, item.key)
            timeout_s = item.timeout_s or campaign.item_timeout_s
            previous = results[-1] if results else None

            # The campaign's message follows the node its item runs now.
            def note(label: str, index: int = index, where: str = where) -> None:
                ctx.progress(index, len(items), f"{where}: {label}")

            testcase = plan.testcases[index]
            ctx.report.so_far(partial(hung, index, step_started))
            try:
                result = run_item(
                    ctx, plan.library, item, testcase, timeout_s, previous, done, note
                )
            except ItemStopped as stopped:
                # Its step is left running: it ends `cancelled` with the execution, as in
                # every kind.
                ctx.log.info("item %s: %s %s", item.key, stopped.item.status, stopped.item.message)
                so_far = stopped_at(index, stopped.item, stopped.reason)
                raise ExecutionStopped(stopped.reason, so_far) from None
            ctx.step_done(item.key, step_started, result.success, result.message)
            ctx.log.info("item %s: %s %s", item.key, result.status, result.message)
            results.append(result)
            done[item.key] = result
            stop = not result.success and not plan.continue_on_failure
        return _totals(campaign, results, elapsed_ms())


def _skipped(item: CampaignItem, testcase: TestcaseDefinition, why: str) -> CampaignItemResult:
    return CampaignItemResult(
        name=item.key, testcase_id=testcase.id, status="skipped", success=False, message=why
    )


def _totals(
    campaign: CampaignDefinition, results: list[CampaignItemResult], duration_ms: float
) -> CampaignResult:
    def count(*statuses: Any) -> int:
        return sum(1 for r in results if r.status in statuses)

    return CampaignResult(
        success=all(r.success for r in results),
        campaign_id=campaign.id,
        name=campaign.name,
        total=len(results),
        passed=count("passed"),
        failed=count("failed"),
        errors=count("error", "timed_out", "cancelled"),
        skipped=count("skipped"),
        duration_ms=duration_ms,
        items=results,
    )
