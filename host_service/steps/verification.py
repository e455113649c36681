"""One verification: a check once, or polled until it holds or its timeout passes."""

import time

from host_service.steps.context import RunContext
from schemas import Verification, VerificationResult


def run_verification(ctx: RunContext, item: Verification, index: int) -> VerificationResult:
    """Check once, or poll until the condition holds or `item.timeout_s` passes."""
    device, driver = ctx.device, ctx.device.driver
    started = time.monotonic()
    polls = device.polls(item.type, item.command)
    give_up = started + item.timeout_s
    while True:
        ctx.token.check()
        seen = device.observe(item.type, item.command, item.params, ctx.token)
        if seen.success or not polls or time.monotonic() >= give_up:
            break
        ctx.token.wait(min(driver.poll_interval_s(), max(0.0, give_up - time.monotonic())))
    duration_ms = (time.monotonic() - started) * 1000
    ctx.limits.count(f"{item.type}.{item.command}", seen.expected, seen.observed)  # the last look
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
