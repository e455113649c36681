"""Base classes for wire models: strict requests, permissive-to-read responses."""

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Names that reach a URL path or a registry key: devices, hosts, definitions.
IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"
Identifier = Annotated[str, Field(min_length=1, max_length=128, pattern=IDENTIFIER_PATTERN)]


class RequestModel(BaseModel):
    """A body a client sends: unknown fields are an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid")


class ResponseModel(BaseModel):
    """A body a service answers with."""

    model_config = ConfigDict(extra="forbid")


class CapturePolicy(StrEnum):
    on_failure = "on_failure"  # a screenshot of every failed step (the default)
    always = "always"  # a screenshot after every step, passed or failed
    never = "never"  # no screenshots


class StartRequest(RequestModel):
    """Fields every start request carries, whatever its kind."""

    device_id: Identifier = Field(description="The device that runs the execution.")
    host_name: Identifier | None = Field(
        default=None,
        description="The host the device is plugged into; required through the proxy.",
    )
    timeout_s: float | None = Field(
        default=None,
        gt=0,
        description="Deadline of the running time in seconds; the kind's default when absent.",
    )
    capture: CapturePolicy = Field(
        default=CapturePolicy.on_failure,
        description=(
            "Screenshots kept as artifacts of the execution, on devices that can capture: "
            "of every failed step (`on_failure`), of every step (`always`), or none (`never`)."
        ),
    )
