"""Standard blocks: the catalogue of named blocks, and the `block` kind that runs a list of them."""

import re
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from schemas.base import RequestModel, ResponseModel, StartRequest
from schemas.devices import ParamSpec

# A variable name, as `{var}` placeholders and `set_variable` accept it.
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class BlockOutputSpec(ResponseModel):
    """A value a block produces; a builder run writes it to the variable of that name."""

    name: str
    type: Literal["string", "integer", "number", "boolean", "any"]
    description: str = ""


class BlockView(ResponseModel):
    """One block of the registry as clients see it."""

    name: str
    description: str
    params: list[ParamSpec] = Field(default_factory=list)
    outputs: list[BlockOutputSpec] = Field(default_factory=list)


class BlockCall(RequestModel):
    """One block to run: its name in the registry and its params (`{var}` allowed)."""

    name: str = Field(
        min_length=1,
        max_length=64,
        examples=["evaluate_condition"],
        description="The block type, as listed by GET /host/library/blocks.",
    )
    params: dict[str, Any] = Field(
        default_factory=dict, examples=[{"left": "{count}", "operator": ">", "right": 2}]
    )
    label: str | None = Field(default=None, max_length=200, description="Shown in live steps.")
    continue_on_fail: bool = Field(
        default=False, description="Carry on with the next block when this one fails."
    )


class StandardBlocksRequest(StartRequest):
    """Start a list of standard blocks, run in order with shared variables."""

    blocks: list[BlockCall] = Field(min_length=1, max_length=500)
    variables: dict[str, Any] = Field(
        default_factory=dict, description="Initial variables, for `{var}` in block params."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "device_id": "tv-1",
                    "variables": {"channel": 104},
                    "blocks": [
                        {"name": "get_current_time", "params": {"format": "%H:%M:%S"}},
                        {"name": "set_variable", "params": {"name": "limit", "value": 100}},
                        {
                            "name": "evaluate_condition",
                            "params": {"left": "{channel}", "operator": ">", "right": "{limit}"},
                        },
                        {"name": "log_message", "params": {"message": "checked at {current_time}"}},
                    ],
                }
            ]
        },
    )

    @field_validator("variables")
    @classmethod
    def _variable_names(cls, variables: dict[str, Any]) -> dict[str, Any]:
        bad = [name for name in variables if not VARIABLE_NAME.match(name)]
        if bad:
            raise ValueError(f"variable names are letters, digits and _, got {bad}")
        return variables


class BlockResult(ResponseModel):
    index: int
    name: str
    label: str
    params: dict[str, Any] = Field(description="The params after `{var}` substitution.")
    success: bool
    outputs: dict[str, Any] = Field(default_factory=dict)
    duration_ms: float
    message: str = ""


class StandardBlocksResult(ResponseModel):
    kind: Literal["block"] = "block"
    success: bool
    total: int
    passed: int
    failed: int
    skipped: int = Field(description="Blocks not run because an earlier block failed.")
    results: list[BlockResult]
    variables: dict[str, Any] = Field(description="Every variable when the run ended.")
