"""evaluate_condition: typed operands, every operator, no code evaluation."""

from typing import Any

import pytest

from host_service.blocks import run_block
from host_service.blocks.operands import OperandError, to_number
from tests.host_service.blocks.context import StubContext


def evaluate(left: Any, op: str, right: Any, **extra: Any) -> tuple[bool, str]:
    params = {"left": left, "operator": op, "right": right, **extra}
    outcome = run_block("evaluate_condition", params, {}, StubContext())
    assert outcome.outputs == {"result": outcome.success}
    return outcome.success, outcome.message


@pytest.mark.parametrize(
    ("left", "op", "right", "extra", "holds"),
    [
        (10, ">", 9, {}, True),  # numbers, not text: "10" > "9" is false as text
        ("10", ">", "9", {"type": "number"}, True),
        ("10", ">", "9", {}, False),  # two strings compare as text under auto
        ("10", ">", 9, {}, True),  # one number makes auto a number comparison
        (2.5, "<=", "2.5", {}, True),
        (3, "!=", 3.0, {}, False),
        ("abc", "<", "abd", {"type": "string"}, True),
        ("Live TV", "==", "live tv", {"ignore_case": True}, True),
        ("Live TV", "==", "live tv", {}, False),
        (True, "==", "yes", {}, True),
        ("off", "==", False, {"type": "boolean"}, True),
        ("Now playing: News", "contains", "News", {}, True),
        ("Now playing: News", "contains", "news", {}, False),
        (["HOME", "GUIDE"], "contains", "GUIDE", {}, True),
        ("Channel 104", "matches", r"^Channel \d{3}$", {}, True),
        ("channel 104", "matches", r"^CHANNEL", {"ignore_case": True}, True),
        ("Channel 1", "matches", r"\d{3}", {}, False),
        (42, "contains", 4, {}, True),  # contains and matches compare text
    ],
)
def test_comparisons(left: Any, op: str, right: Any, extra: dict[str, Any], holds: bool) -> None:
    assert evaluate(left, op, right, **extra)[0] is holds


def test_an_operand_that_is_not_a_number_fails_the_check_with_a_reason() -> None:
    holds, message = evaluate("abc", ">", 3)
    assert holds is False
    assert "'abc' is not a number" in message


def test_code_in_an_operand_is_compared_as_text_never_run() -> None:
    holds, _ = evaluate("__import__('os').system('false')", "==", "0", type="string")
    assert holds is False
    with pytest.raises(OperandError, match="not a number"):
        to_number("1+1")


def test_variables_feed_the_operands_with_their_types() -> None:
    params = {"left": "{count}", "operator": ">=", "right": "{limit}"}
    outcome = run_block("evaluate_condition", params, {"count": 12, "limit": "9"}, StubContext())
    assert outcome.success is True
    assert "as number" in outcome.message
