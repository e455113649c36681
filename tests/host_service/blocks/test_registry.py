"""The block registry: start-time checks, run-time substitution and every block's behaviour."""

import logging
import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from host_service.blocks import BLOCKS, BlockError, block_problems, run_block
from host_service.runtime.cancel import ExecutionStopped, StopReason
from tests.host_service.blocks.context import StubContext


def test_the_registry_has_the_standard_blocks_with_schemas() -> None:
    assert {
        "sleep",
        "set_variable",
        "evaluate_condition",
        "get_current_time",
        "log_message",
    } <= set(BLOCKS)
    view = BLOCKS["evaluate_condition"].view()
    assert [p.name for p in view.params][:3] == ["left", "operator", "right"]
    assert [o.name for o in view.outputs] == ["result"]


def problems(name: str, params: dict[str, Any]) -> dict[str, str]:
    found = block_problems(name, params, ["blocks", 2])
    return {".".join(str(p) for p in d["loc"]): d["msg"] for d in found}


def test_unknown_block_names_the_field_and_lists_known_blocks() -> None:
    found = problems("teleport", {})
    assert list(found) == ["body.blocks.2.name"]
    assert "sleep" in found["body.blocks.2.name"]


@pytest.mark.parametrize(
    ("name", "params", "field", "fragment"),
    [
        ("sleep", {}, "seconds", "missing required"),
        ("sleep", {"seconds": "long"}, "seconds", "expected number"),
        ("sleep", {"seconds": -1}, "seconds", "between 0 and 3600"),
        ("sleep", {"seconds": 1, "extra": 1}, "extra", "unknown parameter"),
        ("set_variable", {"name": "1st", "value": 1}, "name", "letters, digits"),
        ("log_message", {"message": "x", "level": "loud"}, "level", "one of"),
        ("get_current_time", {"format": 5}, "format", "expected string"),
        ("evaluate_condition", {"left": 1, "operator": "~", "right": 2}, "operator", "one of"),
        (
            "evaluate_condition",
            {"left": "a", "operator": "matches", "right": "(unclosed"},
            "right",
            "not a regular expression",
        ),
        (
            "evaluate_condition",
            {"left": 1, "operator": "<", "right": 2, "type": "boolean"},
            "operator",
            "== and != only",
        ),
    ],
)
def test_bad_params_are_named(name: str, params: dict[str, Any], field: str, fragment: str) -> None:
    found = problems(name, params)
    assert fragment in found[f"body.blocks.2.params.{field}"]


def test_placeholders_are_checked_at_run_time_not_at_start() -> None:
    assert problems("sleep", {"seconds": "{delay}"}) == {}
    assert problems("log_message", {"message": "x", "level": "{level}"}) == {}
    assert problems("evaluate_condition", {"left": 1, "operator": "matches", "right": "{p}"}) == {}


def test_run_time_values_convert_to_the_declared_type_or_fail_clearly() -> None:
    ctx = StubContext()
    assert run_block("sleep", {"seconds": "{delay}"}, {"delay": "0"}, ctx).success
    with pytest.raises(BlockError) as caught:
        run_block("sleep", {"seconds": "{delay}"}, {"delay": "soon"}, ctx)
    assert caught.value.code == "invalid_block_params"
    assert "seconds: expected number" in caught.value.message
    with pytest.raises(BlockError) as unknown:
        run_block("log_message", {"message": "hi {who}"}, {}, ctx)
    assert unknown.value.code == "unknown_variable"
    assert "'who'" in unknown.value.message


def test_set_variable_outputs_the_named_variable_with_its_type() -> None:
    outcome = run_block(
        "set_variable", {"name": "copy", "value": "{reply}"}, {"reply": {"a": [1]}}, StubContext()
    )
    assert outcome.success
    assert outcome.outputs == {"copy": {"a": [1]}}


def test_get_current_time_in_iso_and_custom_formats() -> None:
    before = datetime.now(UTC).timestamp()
    iso = run_block("get_current_time", {}, {}, StubContext())
    parsed = datetime.fromisoformat(iso.outputs["current_time"])
    assert parsed.tzinfo is not None
    assert before - 1 <= iso.outputs["timestamp"] <= datetime.now(UTC).timestamp() + 1
    custom = run_block("get_current_time", {"format": "%Y-%m-%d"}, {}, StubContext())
    assert custom.outputs["current_time"] == datetime.now(UTC).strftime("%Y-%m-%d")
    local = run_block("get_current_time", {"timezone": "local"}, {}, StubContext())
    offset = datetime.fromisoformat(local.outputs["current_time"]).utcoffset()
    assert offset == datetime.now().astimezone().utcoffset()


def test_log_message_writes_at_its_level(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="tests.blocks")
    run_block(
        "log_message", {"message": "tuned to {ch}", "level": "warning"}, {"ch": 7}, StubContext()
    )
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [("WARNING", "tuned to 7")]


def test_sleep_cancelled_mid_way_stops_at_once() -> None:
    ctx = StubContext()
    raised: list[BaseException] = []

    def sleep_long() -> None:
        try:
            run_block("sleep", {"seconds": 600}, {}, ctx)
        except ExecutionStopped as exc:
            raised.append(exc)

    worker = threading.Thread(target=sleep_long)
    worker.start()
    assert ctx.token.waiting.wait(5)
    ctx.token.cancel(StopReason.cancelled)
    worker.join(5)
    assert not worker.is_alive()
    assert len(raised) == 1
    assert isinstance(raised[0], ExecutionStopped)
    assert raised[0].reason is StopReason.cancelled
