"""`sleep`: wait a while, cancellable and bounded by the execution's deadline."""

from typing import Any

from host_service.blocks.spec import BlockContext, BlockOutcome, BlockSpec, param

MAX_SECONDS = 3600


def _check(params: dict[str, Any]) -> list[tuple[str, str]]:
    seconds = params.get("seconds")
    if seconds is not None and not 0 <= seconds <= MAX_SECONDS:
        return [("seconds", f"must be between 0 and {MAX_SECONDS}")]
    return []


def _run(params: dict[str, Any], ctx: BlockContext) -> BlockOutcome:
    seconds = params["seconds"]
    # The token's wait returns early and raises on cancel or deadline.
    ctx.token.wait(seconds)
    return BlockOutcome(True, {}, f"slept {seconds:g} s")


SLEEP = BlockSpec(
    name="sleep",
    description="Wait `seconds`; a cancel or the deadline stops the wait at once.",
    params=[param("seconds", "number", description=f"How long, 0 to {MAX_SECONDS} s.")],
    outputs=[],
    run=_run,
    check=_check,
)
