"""`log_message`: a line in the execution's log, at a chosen level."""

import logging
from typing import Any

from host_service.blocks.spec import BlockContext, BlockOutcome, BlockSpec, param

LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


def _run(params: dict[str, Any], ctx: BlockContext) -> BlockOutcome:
    message = params["message"]
    ctx.log.log(LEVELS[params["level"]], "%s", message)
    return BlockOutcome(True, {}, message)


LOG_MESSAGE = BlockSpec(
    name="log_message",
    description="Write `message` to the execution's log (`{var}` shows a variable).",
    params=[
        param("message", description="The line to log."),
        param("level", required=False, default="info", choices=list(LEVELS)),
    ],
    outputs=[],
    run=_run,
)
