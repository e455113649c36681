"""Standard blocks: named steps with a parameter schema and outputs, run with variables.

BLOCKS                the registry: block name -> BlockSpec
block_problems(...)   422 details for a block call, checked at start
run_block(...)        substitute `{var}`, check, run; returns a BlockOutcome
run_resolved(...)     run with params already resolved; outputs checked against the limits
substitute(...)       the `{var}` rule, shared with testcases and drivers
"""

from host_service.blocks.registry import (
    BLOCKS,
    block_outputs,
    block_problems,
    resolve_params,
    run_block,
    run_resolved,
    undefined_variable_problems,
)
from host_service.blocks.spec import BlockContext, BlockError, BlockOutcome, BlockSpec
from host_service.runtime.substitution import (
    SubstitutionError,
    has_placeholder,
    placeholders,
    render,
    substitute,
)

__all__ = [
    "BLOCKS",
    "BlockContext",
    "BlockError",
    "BlockOutcome",
    "BlockSpec",
    "SubstitutionError",
    "block_outputs",
    "block_problems",
    "has_placeholder",
    "placeholders",
    "render",
    "resolve_params",
    "run_block",
    "run_resolved",
    "substitute",
    "undefined_variable_problems",
]
