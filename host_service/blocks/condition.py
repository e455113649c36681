"""`evaluate_condition`: compare two typed operands; passes when the comparison holds.

Operands are converted to one type (`number`, `string`, `boolean`, or `auto`: boolean
if either is a boolean, number if either is a number, otherwise string) and compared
with a fixed table of operators. Nothing is ever evaluated as code.
"""

import operator
import re
from collections.abc import Callable
from typing import Any

from host_service.blocks.operands import CONVERTERS, OperandError
from host_service.blocks.spec import BlockContext, BlockOutcome, BlockSpec, output, param
from host_service.runtime.substitution import has_placeholder, render

ORDERING: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
TEXT_ONLY = ("contains", "matches")
OPERATORS = [*ORDERING, *TEXT_ONLY]
TYPES = ["auto", "number", "string", "boolean"]


def operand_type(left: Any, right: Any, op: str, declared: str) -> str:
    if declared != "auto":
        return declared
    if op in TEXT_ONLY:
        return "string"
    both = (left, right)
    if any(isinstance(v, bool) for v in both):
        return "boolean"
    if any(isinstance(v, int | float) for v in both):
        return "number"
    return "string"


def _check(params: dict[str, Any]) -> list[tuple[str, str]]:
    op, declared = params.get("operator"), params.get("type", "auto")
    problems: list[tuple[str, str]] = []
    if op in TEXT_ONLY and declared in ("number", "boolean"):
        problems.append(("operator", f"{op} compares strings, not {declared}s"))
    if declared == "boolean" and op in ("<", "<=", ">", ">="):
        problems.append(("operator", "booleans compare with == and != only"))
    right = params.get("right")
    if op == "matches" and isinstance(right, str) and not has_placeholder(right):
        try:
            re.compile(right)
        except re.error as exc:
            problems.append(("right", f"not a regular expression: {exc}"))
    return problems


def compare(left: Any, op: str, right: Any, declared: str, ignore_case: bool) -> bool:
    """Whether `left op right` holds; raises `OperandError` when an operand does not convert."""
    if op == "contains" and isinstance(left, list):
        return right in left
    kind = operand_type(left, right, op, declared)
    a, b = CONVERTERS[kind](left), CONVERTERS[kind](right)
    if kind == "string" and ignore_case:
        a, b = str(a).casefold(), str(b).casefold()
    if op == "contains":
        return str(b) in str(a)
    if op == "matches":
        return re.search(str(b), str(a), re.IGNORECASE if ignore_case else 0) is not None
    return ORDERING[op](a, b)


def _run(params: dict[str, Any], ctx: BlockContext) -> BlockOutcome:
    left, op, right = params["left"], params["operator"], params["right"]
    kind = operand_type(left, right, op, params["type"])
    shown = f"{render(left)!r} {op} {render(right)!r} as {kind}"
    try:
        result = compare(left, op, right, params["type"], params["ignore_case"])
    except OperandError as exc:
        # The values came from the device or a variable: a failed check, not a broken tool.
        return BlockOutcome(False, {"result": False}, f"{shown}: {exc}")
    return BlockOutcome(result, {"result": result}, f"{shown} is {str(result).lower()}")


EVALUATE_CONDITION = BlockSpec(
    name="evaluate_condition",
    description="Compare `left` and `right`; passes when the comparison holds.",
    params=[
        param("left", "any", description="Left operand; `{var}` takes a variable's value."),
        param("operator", choices=OPERATORS, description="`matches` is a regex search."),
        param("right", "any", description="Right operand (the pattern for `matches`)."),
        param("type", required=False, default="auto", choices=TYPES),
        param("ignore_case", "boolean", required=False, default=False),
    ],
    outputs=[output("result", "boolean", "Whether the comparison held.")],
    run=_run,
    check=_check,
)
