"""Campaigns: an ordered list of testcases run on one device, outputs chained between them."""

from typing import Any, Literal, Self

from pydantic import ConfigDict, Field, model_validator

from schemas.base import Identifier, RequestModel, ResponseModel, StartRequest
from schemas.testcase import TestcaseDefinition, TestcaseResult


class CampaignItem(RequestModel):
    """A testcase of a campaign; inputs may use `${previous.outputs.x}`, `${items.n.outputs.x}`."""

    name: Identifier | None = Field(
        default=None, description="Unique within the campaign; defaults to the testcase id."
    )
    testcase_id: Identifier | None = None
    testcase: TestcaseDefinition | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)
    timeout_s: float | None = Field(default=None, gt=0, le=86_400)

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.testcase_id is None) == (self.testcase is None):
            raise ValueError("give exactly one of testcase_id and testcase")
        return self

    @property
    def key(self) -> str:
        if self.name is not None:
            return self.name
        return self.testcase_id or (self.testcase.id if self.testcase else "")


class CampaignDefinition(RequestModel):
    id: Identifier
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    items: list[CampaignItem] = Field(min_length=1, max_length=500)
    continue_on_failure: bool = Field(
        default=False, description="Run the later items after a failed one."
    )
    item_timeout_s: float = Field(
        default=600, gt=0, le=86_400, description="Deadline of an item without its own."
    )

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        keys = [item.key for item in self.items]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"item names must be unique; give `name` to: {duplicates}")
        return self


class CampaignRequest(StartRequest):
    """Run a campaign from the library (`campaign_id`) or given inline (`campaign`)."""

    campaign_id: Identifier | None = None
    campaign: CampaignDefinition | None = None
    continue_on_failure: bool | None = Field(
        default=None, description="Overrides the campaign's own setting."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"device_id": "tv-1", "campaign_id": "nightly_smoke"},
                {
                    "device_id": "tv-1",
                    "campaign": {
                        "id": "inline_smoke",
                        "name": "Guide then settings",
                        "continue_on_failure": True,
                        "items": [
                            {"testcase_id": "check_resolution", "inputs": {"resolution": "1080p"}},
                            {
                                "name": "same_again",
                                "testcase_id": "check_resolution",
                                "inputs": {"resolution": "${previous.outputs.resolution}"},
                            },
                        ],
                    },
                },
            ]
        },
    )

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.campaign_id is None) == (self.campaign is None):
            raise ValueError("give exactly one of campaign_id and campaign")
        return self


# cancelled / timed_out: stopped with its campaign (or timed_out by its own timeout);
# skipped: not run, after a failed item or a stopped campaign.
ItemStatus = Literal["passed", "failed", "error", "timed_out", "cancelled", "skipped"]


class CampaignItemResult(ResponseModel):
    name: str
    testcase_id: str
    status: ItemStatus
    success: bool
    duration_ms: float = 0
    message: str = ""
    inputs: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, Any] = Field(default_factory=dict)
    result: TestcaseResult | None = None


class CampaignResult(ResponseModel):
    kind: Literal["campaign"] = "campaign"
    success: bool
    campaign_id: str
    name: str
    total: int
    passed: int
    failed: int
    errors: int
    skipped: int
    duration_ms: float
    items: list[CampaignItemResult]
