"""Shared wire models: strict requests and a terminal-status rule every service relies on."""

import pytest
from pydantic import TypeAdapter, ValidationError

from schemas import ActionBatchRequest, ExecutionResult, ExecutionStatus


def test_requests_reject_unknown_fields() -> None:
    with pytest.raises(ValidationError, match="devcie_id"):
        ActionBatchRequest.model_validate(
            {"devcie_id": "x", "device_id": "tv-1", "actions": [{"command": "a"}]}
        )


def test_terminal_statuses() -> None:
    assert {s for s in ExecutionStatus if s.terminal} == {
        ExecutionStatus.completed,
        ExecutionStatus.error,
        ExecutionStatus.cancelled,
        ExecutionStatus.timed_out,
        ExecutionStatus.interrupted,
    }


def test_results_are_told_apart_by_kind() -> None:
    adapter: TypeAdapter[ExecutionResult] = TypeAdapter(ExecutionResult)
    result = adapter.validate_python(
        {
            "kind": "verification",
            "success": True,
            "pass_condition": "all",
            "total": 0,
            "passed": 0,
            "failed": 0,
            "results": [],
        }
    )
    assert type(result).__name__ == "VerificationBatchResult"
    with pytest.raises(ValidationError):
        adapter.validate_python({"kind": "teleport", "success": True})


def test_request_examples_are_valid_requests() -> None:
    for example in ActionBatchRequest.model_json_schema()["examples"]:
        ActionBatchRequest.model_validate(example)
