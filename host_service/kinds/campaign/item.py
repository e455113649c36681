"""One campaign item: chain its inputs, run its testcase under its own deadline.

An item stopped with its campaign (cancel, deadline) ends `cancelled` or `timed_out`
with the testcase's result so far, raised as `ItemStopped` for the campaign to stop.
"""

import dataclasses
import time
from collections.abc import Callable
from typing import Any

from host_service.drivers import DriverError
from host_service.kinds.campaign.chaining import ChainError, resolve
from host_service.kinds.testcase.checks import resolve_inputs
from host_service.kinds.testcase.executor import TestcasePlan, run_testcase
from host_service.library import DefinitionLibrary
from host_service.runtime.cancel import ChildToken, ExecutionStopped, StopReason
from host_service.steps.context import RunContext
from schemas.campaign import CampaignItem, CampaignItemResult, ItemStatus
from schemas.testcase import TestcaseDefinition, TestcaseResult

# How an item that ran when its campaign stopped ends, and why.
_STOPPED: dict[StopReason, tuple[ItemStatus, str]] = {
    StopReason.cancelled: ("cancelled", "the campaign was cancelled"),
    StopReason.timed_out: ("timed_out", "the campaign reached its deadline"),
    StopReason.shutdown: ("cancelled", "the host stopped"),
}


class ItemStopped(Exception):  # noqa: N818 - a signal, not a failure
    """The campaign stopped while this item ran; `item` is how the item ended."""

    def __init__(self, reason: StopReason, item: CampaignItemResult) -> None:
        super().__init__(f"item {item.name} stopped: {reason.value}")
        self.reason = reason
        self.item = item


def campaign_stop(reason: StopReason) -> str:
    """Why a campaign stopped, in words: 'the campaign was cancelled'."""
    return _STOPPED[reason][1]


def unanswered(
    item: CampaignItem, testcase: TestcaseDefinition, reason: StopReason, duration_ms: float
) -> CampaignItemResult:
    """How an item ends whose driver call ignored its campaign's stop (the device is stuck)."""
    status, why = _STOPPED[reason]
    return CampaignItemResult(
        name=item.key,
        testcase_id=testcase.id,
        status=status,
        success=False,
        duration_ms=duration_ms,
        message=f"stopped: {why}; its driver call did not return",
    )


def item_testcase(item: CampaignItem, library: DefinitionLibrary) -> TestcaseDefinition:
    return item.testcase or library.testcases.get(str(item.testcase_id))


def run_item(
    ctx: RunContext,
    library: DefinitionLibrary,
    item: CampaignItem,
    testcase: TestcaseDefinition,
    timeout_s: float,
    previous: CampaignItemResult | None,
    done: dict[str, CampaignItemResult],
    note: Callable[[str], None] | None = None,
) -> CampaignItemResult:
    started = time.monotonic()

    def ended(status: Any, message: str, **fields: Any) -> CampaignItemResult:
        return CampaignItemResult(
            name=item.key,
            testcase_id=testcase.id,
            status=status,
            success=status == "passed",
            duration_ms=(time.monotonic() - started) * 1000,
            message=message,
            **fields,
        )

    try:
        inputs = resolve(item.inputs, previous, done)
    except ChainError as exc:
        return ended("error", f"cannot chain inputs: {exc}")
    variables, problems = resolve_inputs(testcase, inputs, ["inputs"])
    if problems:
        listed = "; ".join(f"{p['loc'][-1]}: {p['msg']}" for p in problems)
        return ended("error", f"invalid inputs: {listed}", inputs=inputs)
    item_ctx = dataclasses.replace(ctx, token=ChildToken(ctx.token, timeout_s))
    try:
        plan = TestcasePlan(testcase, variables, library)
        result = run_testcase(item_ctx, plan, live=False, note=note)
    except ExecutionStopped as stop:
        partial = stop.partial if isinstance(stop.partial, TestcaseResult) else None
        if ctx.token.reason is not None:  # the campaign itself stops, and this item with it
            status, why = _STOPPED[ctx.token.reason]
            item_result = ended(status, f"stopped: {why}", inputs=inputs, result=partial)
            raise ItemStopped(ctx.token.reason, item_result) from None
        message = f"stopped by its item timeout of {timeout_s:g} s"
        return ended("timed_out", message, inputs=inputs, result=partial)
    except DriverError as exc:
        return ended("error", f"{exc.code}: {exc.message}", inputs=inputs)
    return ended(
        "passed" if result.success else "failed",
        result.message,
        inputs=inputs,
        outputs=result.outputs,
        result=result,
    )
