"""The size rule: JSON sizes measured with an early stop, the running count, cut messages."""

import json

import pytest

from host_service.runtime.limits import LimitExceededError, RunLimits, json_size
from host_service.runtime.substitution import substitute


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "héllo",
        0,
        -12,
        3.5,
        True,
        False,
        None,
        [],
        {},
        [1, "a", None],
        {"k": [1, {"x": "y"}]},
    ],
)
def test_json_size_is_the_size_of_the_json_text(value: object) -> None:
    assert json_size(value, 10**9) == len(
        json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    )


def test_json_size_stops_early_on_shared_data_that_expands() -> None:
    big = "x" * 1_000
    shared: list[object] = [big] * 1_000
    for _ in range(20):  # 1,000 ** ... references: never walked whole
        shared = [shared] * 1_000
    assert 10_000 < json_size(shared, 10_000) < 20_000


def test_a_value_past_the_limit_names_itself_and_the_setting() -> None:
    limits = RunLimits(value_bytes=100, result_bytes=1_000)
    limits.value("output 'a'", "x" * 98)
    with pytest.raises(LimitExceededError) as caught:
        limits.value("output 'b'", "x" * 99)
    assert caught.value.code == "value_too_large"
    assert caught.value.message == (
        "output 'b' is over 100 bytes, the limit of a value (HOST_MAX_VALUE_BYTES)"
    )


def test_what_a_run_produces_counts_toward_the_result_limit() -> None:
    limits = RunLimits(value_bytes=100, result_bytes=250)
    limits.value("one", "x" * 90)
    limits.count("two", "y" * 90)
    with pytest.raises(LimitExceededError) as caught:
        limits.value("three", "z" * 90)
    assert caught.value.code == "result_too_large"
    assert caught.value.message.startswith("three: the execution has produced over 250 bytes")


def test_substitution_stops_building_text_past_the_limit_of_a_value() -> None:
    limits = RunLimits(value_bytes=1_000)
    variables = {"s": "x" * 400}
    assert substitute("{s}{s}", variables, limits) == "x" * 800
    assert substitute(["{s}"] * 50, variables, limits) == ["x" * 400] * 50  # shared, not built
    with pytest.raises(LimitExceededError) as caught:
        substitute(["{s}!", "{s}!", "{s}!"], variables, limits, "block b: its params")
    assert caught.value.message.startswith("block b: its params would be over 1,000 bytes")


def test_messages_are_cut_with_a_note() -> None:
    limits = RunLimits(message_chars=10)
    assert limits.shorten("short") == "short"
    assert limits.shorten("0123456789abc") == "0123456789... (3 more characters)"
