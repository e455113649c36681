"""Action batches: commands sent to a device, with retry and cleanup lists."""

from enum import StrEnum
from typing import Any, Literal

from pydantic import ConfigDict, Field

from schemas.base import RequestModel, ResponseModel, StartRequest


class Action(RequestModel):
    """One command, repeated `iterator` times."""

    command: str = Field(min_length=1, max_length=128, examples=["press_key"])
    params: dict[str, Any] = Field(default_factory=dict, examples=[{"key": "HOME"}])
    iterator: int = Field(
        strict=True, default=1, ge=1, le=100, description="How many times to repeat it."
    )
    wait_time_ms: int = Field(
        strict=True,
        default=0,
        ge=0,
        le=600_000,
        description="Pause after each successful iteration.",
    )
    continue_on_fail: bool = Field(
        default=False, description="Carry on with the next main action when this one fails."
    )
    timeout_s: float | None = Field(default=None, gt=0, le=3600)


class ActionBatchRequest(StartRequest):
    """Start an action batch: main actions, then retry actions, then cleanup."""

    actions: list[Action] = Field(min_length=1, max_length=500)
    retry_actions: list[Action] = Field(default_factory=list, max_length=500)
    failure_actions: list[Action] = Field(default_factory=list, max_length=500)

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "device_id": "tv-1",
                    "actions": [
                        {"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": 200},
                        {"command": "press_key", "params": {"key": "RIGHT"}, "iterator": 2},
                    ],
                    "retry_actions": [{"command": "press_key", "params": {"key": "BACK"}}],
                    "failure_actions": [{"command": "press_key", "params": {"key": "HOME"}}],
                }
            ]
        },
    )


class ActionCategory(StrEnum):
    main = "main"
    retry = "retry"
    failure = "failure"


class ActionResult(ResponseModel):
    index: int
    category: ActionCategory
    command: str
    params: dict[str, Any]
    success: bool
    iterations_run: int
    iterations_requested: int
    duration_ms: float
    message: str = ""
    output_data: dict[str, Any] = Field(default_factory=dict)


class ActionBatchResult(ResponseModel):
    kind: Literal["action"] = "action"
    success: bool
    total: int
    passed: int
    failed: int
    main_success: bool
    retry_success: bool | None = None
    results: list[ActionResult]
    output_data: dict[str, Any] = Field(default_factory=dict)
