"""Verification batches: checks of what a device shows."""

from enum import StrEnum
from typing import Any, Literal

from pydantic import ConfigDict, Field

from schemas.base import RequestModel, ResponseModel, StartRequest


class Verification(RequestModel):
    """One check; wait-style commands poll until it holds or `timeout_s` passes."""

    type: str = Field(min_length=1, max_length=64, examples=["text"])
    command: str = Field(min_length=1, max_length=128, examples=["wait_for_text_to_appear"])
    params: dict[str, Any] = Field(default_factory=dict, examples=[{"text": "Home"}])
    timeout_s: float = Field(default=5.0, gt=0, le=600)


class PassCondition(StrEnum):
    all = "all"
    any = "any"


class VerificationBatchRequest(StartRequest):
    """Start a verification batch."""

    verifications: list[Verification] = Field(min_length=1, max_length=200)
    pass_condition: PassCondition = PassCondition.all

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "device_id": "tv-1",
                    "verifications": [
                        {
                            "type": "screen",
                            "command": "check_screen",
                            "params": {"screen": "home"},
                        },
                        {
                            "type": "text",
                            "command": "wait_for_text_to_appear",
                            "params": {"text": "Live TV"},
                            "timeout_s": 2,
                        },
                    ],
                    "pass_condition": "all",
                }
            ]
        },
    )


class VerificationResult(ResponseModel):
    index: int
    type: str
    command: str
    params: dict[str, Any]
    success: bool
    expected: str
    observed: str
    duration_ms: float
    message: str = ""


class VerificationBatchResult(ResponseModel):
    kind: Literal["verification"] = "verification"
    success: bool
    pass_condition: PassCondition
    total: int
    passed: int
    failed: int
    results: list[VerificationResult]
