"""One action: its command `iterator` times, a wait after each success, its own time limit."""

import time
from typing import Any

from host_service.runtime.cancel import ChildToken, ExecutionStopped
from host_service.steps.context import RunContext
from schemas import Action, ActionCategory, ActionResult


def run_action(
    ctx: RunContext, action: Action, index: int, category: ActionCategory
) -> ActionResult:
    """Run one action `iterator` times, stopping at its first failed iteration.

    `timeout_s` bounds the whole action (every iteration and wait): past it the
    action fails, saying so, and the execution goes on; the execution's own
    deadline and cancel still stop everything.
    """
    started = time.monotonic()
    output: dict[str, Any] = {}
    message = ""
    success = True
    iterations = 0
    token = ctx.token if action.timeout_s is None else ChildToken(ctx.token, action.timeout_s)
    # A command may move the device: tracked navigation positions are stale from here
    # on, until navigation checks where the device is again.
    ctx.device.positions.clear()
    try:
        for _ in range(action.iterator):
            token.check()
            iterations += 1
            outcome = ctx.device.driver.execute(action.command, action.params, token)
            for name, value in outcome.output.items():
                ctx.limits.value(f"{action.command}: output {name!r}", value)
            ctx.limits.count(action.command, outcome.message)
            output.update(outcome.output)
            message = outcome.message
            if not outcome.success:
                success = False
                break
            if action.wait_time_ms:
                token.wait(action.wait_time_ms / 1000)
        # A driver that returns late, without noticing its token, still overran.
        token.check()
    except ExecutionStopped:
        if ctx.token.reason is not None:
            raise  # the execution itself stops
        success = False
        message = f"timed out after {action.timeout_s:g} s (the action's timeout_s)"
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
