"""Base classes for wire models: strict requests, permissive-to-read responses."""

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
