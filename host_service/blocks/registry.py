"""The block registry: look a block up, check its params at start, run it with variables."""

from typing import Any

from host_service.blocks.arithmetic import CALCULATE
from host_service.blocks.clock import GET_CURRENT_TIME
from host_service.blocks.condition import EVALUATE_CONDITION
from host_service.blocks.message import LOG_MESSAGE
from host_service.blocks.operands import CONVERTERS, OperandError
from host_service.blocks.sleep import SLEEP
from host_service.blocks.spec import BlockContext, BlockError, BlockOutcome, BlockSpec
from host_service.blocks.variable import SET_VARIABLE
from host_service.drivers.params import param_problems
from host_service.errors import field_error
from host_service.runtime.limits import RunLimits
from host_service.runtime.substitution import (
    SubstitutionError,
    has_placeholder,
    placeholders,
    substitute,
)
from schemas import ParamSpec

# A constant table of pure functions, like DRIVERS: no state, nothing to own.
BLOCKS: dict[str, BlockSpec] = {
    spec.name: spec
    for spec in [SLEEP, SET_VARIABLE, EVALUATE_CONDITION, CALCULATE, GET_CURRENT_TIME, LOG_MESSAGE]
}


def _deferred(spec: ParamSpec) -> ParamSpec:
    """The spec of a param whose value is a placeholder: its type is known only at run time."""
    return spec.model_copy(update={"type": "any", "choices": None})


def block_problems(name: str, params: dict[str, Any], loc: list[str | int]) -> list[dict[str, Any]]:
    """422 details for a block call checked at start; values with `{var}` are checked at run."""
    spec = BLOCKS.get(name)
    if spec is None:
        known = sorted(BLOCKS)
        return [field_error([*loc, "name"], f"unknown block {name!r}; known: {known}")]
    literal = {key: value for key, value in params.items() if not has_placeholder(value)}
    specs = [s if s.name in literal or s.name not in params else _deferred(s) for s in spec.params]
    problems = param_problems(specs, params)
    if not problems:
        problems = spec.check({**spec.defaults(), **literal})
    return [field_error([*loc, "params", param], problem) for param, problem in problems]


def _coerce(spec: ParamSpec | None, value: Any) -> Any:
    """A substituted value in the param's declared type, where that loses nothing ("5" -> 5)."""
    if spec is None or spec.type == "any":
        return value
    try:
        return CONVERTERS[spec.type](value)
    except OperandError:
        return value  # param_problems names the mismatch


def resolve_params(
    name: str, params: dict[str, Any], variables: dict[str, Any], limits: RunLimits | None = None
) -> dict[str, Any]:
    """`params` with variables substituted, defaults filled and every value checked."""
    spec = BLOCKS.get(name)
    if spec is None:
        raise BlockError("unknown_block", f"unknown block {name!r}; known: {sorted(BLOCKS)}")
    try:
        substituted = substitute(params, variables, limits, f"block {name}: its params")
    except SubstitutionError as exc:
        raise BlockError("unknown_variable", f"block {name}: {exc}") from exc
    specs = {s.name: s for s in spec.params}
    resolved = {
        **spec.defaults(),
        **{
            key: _coerce(specs.get(key), value) if has_placeholder(params[key]) else value
            for key, value in substituted.items()
        },
    }
    problems = param_problems(spec.params, resolved) or spec.check(resolved)
    if problems:
        listed = "; ".join(f"{param}: {problem}" for param, problem in problems)
        raise BlockError("invalid_block_params", f"block {name}: {listed}")
    return resolved


def run_block(
    name: str, params: dict[str, Any], variables: dict[str, Any], ctx: BlockContext
) -> BlockOutcome:
    """Run one block; raises `BlockError` for a definition fault, `ExecutionStopped` on stop."""
    ctx.token.check()
    return run_resolved(name, resolve_params(name, params, variables, ctx.limits), ctx)


def run_resolved(name: str, params: dict[str, Any], ctx: BlockContext) -> BlockOutcome:
    """Run one block with its params resolved; its outputs are checked against the limits
    of a value (`LimitExceededError`) before anyone can record them."""
    outcome = BLOCKS[name].run(params, ctx)
    for output, value in outcome.outputs.items():
        ctx.limits.value(f"block {name}: output {output!r}", value)
    ctx.limits.count(f"block {name}", outcome.message)
    return outcome


def block_outputs(name: str, params: dict[str, Any]) -> set[str] | None:
    """The variables a block call writes, or None when a placeholder decides which."""
    spec = BLOCKS.get(name)
    if spec is None:
        return set()
    names: set[str] = set()
    for out in spec.outputs:
        if out.name.startswith("{") and out.name.endswith("}"):
            # The output is named by a param (set_variable's `name`).
            value = params.get(out.name[1:-1])
            if not isinstance(value, str) or has_placeholder(value):
                return None
            names.add(value)
        else:
            names.add(out.name)
    return names


def undefined_variable_problems(
    calls: list[tuple[str, dict[str, Any]]], known: set[str], loc: list[str | int]
) -> list[dict[str, Any]]:
    """422 details for placeholders that no earlier block or initial variable defines.

    Follows the calls in order; stops checking once a block's outputs depend on a
    placeholder, since what it defines is known only at run time.
    """
    defined = set(known)
    problems = []
    for index, (name, params) in enumerate(calls):
        for key, value in params.items():
            missing = sorted(placeholders(value) - defined)
            if missing:
                msg = f"unknown variable {missing[0]!r}; defined here: {sorted(defined) or 'none'}"
                problems.append(field_error([*loc, index, "params", key], msg))
        outputs = block_outputs(name, params)
        if outputs is None:
            break
        defined |= outputs
    return problems
