"""`calculate`: arithmetic on two numbers, from a fixed table of operators (no eval)."""

import operator
from collections.abc import Callable
from typing import Any

from host_service.blocks.operands import OperandError, to_number
from host_service.blocks.spec import BlockContext, BlockOutcome, BlockSpec, output, param
from host_service.runtime.substitution import render

OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "min": min,
    "max": max,
}


def _run(params: dict[str, Any], ctx: BlockContext) -> BlockOutcome:
    op = params["operator"]
    shown = f"{render(params['left'])} {op} {render(params['right'])}"
    try:
        left, right = to_number(params["left"]), to_number(params["right"])
        value = OPERATORS[op](left, right)
    except OperandError as exc:
        return BlockOutcome(False, {}, f"{shown}: {exc}")
    except ZeroDivisionError:
        return BlockOutcome(False, {}, f"{shown}: division by zero")
    return BlockOutcome(True, {"value": value}, f"{shown} = {render(value)}")


CALCULATE = BlockSpec(
    name="calculate",
    description="Compute `left operator right` on numbers (a counter, an expected channel).",
    params=[
        param("left", "any", description="A number, or text that reads as one."),
        param("operator", choices=list(OPERATORS)),
        param("right", "any", description="A number, or text that reads as one."),
    ],
    outputs=[output("value", "number", "The result; an integer when both operands are.")],
    run=_run,
)
