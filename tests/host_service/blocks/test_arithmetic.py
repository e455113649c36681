"""calculate: numbers from a fixed operator table; bad operands fail with a reason."""

from typing import Any

import pytest

from host_service.blocks import block_problems, run_block
from tests.host_service.blocks.context import StubContext


@pytest.mark.parametrize(
    ("left", "op", "right", "value"),
    [
        (3, "+", 4, 7),
        ("{n}", "+", 1, 42),  # the variable n is 41
        ("10", "-", 2.5, 7.5),
        (6, "*", 7, 42),
        (7, "/", 2, 3.5),
        (7, "//", 2, 3),
        (7, "%", 3, 1),
        (3, "min", "2", 2),
        (3, "max", 2, 3),
    ],
)
def test_operators(left: Any, op: str, right: Any, value: float) -> None:
    params = {"left": left, "operator": op, "right": right}
    outcome = run_block("calculate", params, {"n": 41}, StubContext())
    assert outcome.success
    assert outcome.outputs == {"value": value}
    assert type(outcome.outputs["value"]) is type(value)


@pytest.mark.parametrize(
    ("left", "right", "reason"), [("abc", 1, "not a number"), (1, 0, "division by zero")]
)
def test_bad_operands_fail_with_a_reason(left: Any, right: Any, reason: str) -> None:
    outcome = run_block(
        "calculate", {"left": left, "operator": "/", "right": right}, {}, StubContext()
    )
    assert not outcome.success
    assert reason in outcome.message


def test_unknown_operators_are_refused_at_start() -> None:
    [problem] = block_problems("calculate", {"left": 1, "operator": "**", "right": 2}, ["b"])
    assert problem["loc"] == ["body", "b", "params", "operator"]
