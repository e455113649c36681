"""Devices as clients see them, with what each accepts."""

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from schemas.base import ResponseModel


class DeviceState(StrEnum):
    idle = "idle"  # free: the next execution starts at once
    busy = "busy"  # an execution drives it
    stuck = "stuck"  # its execution ended, but a driver call has not returned yet
    offline = "offline"  # the driver reports it disconnected
    # Shown by the proxy's lab tier (a hold on the device), never reported by a host:
    quarantined = "quarantined"  # its lab executions ended in `error` too often in a row
    draining = "draining"  # an operator's: finish what runs, take nothing new


class DeviceHold(ResponseModel):
    """Why the lab dispatches nothing to a device, and since when (docs/lab.md)."""

    state: Literal[DeviceState.quarantined, DeviceState.draining]
    reason: str
    since: datetime
    host_state: DeviceState | None = Field(
        default=None, description="The state its host reports (idle, busy, ...)."
    )


class ParamSpec(ResponseModel):
    name: str
    # "any" takes every JSON value (a variable's value, an operand of a comparison);
    # "array" is a list of strings (an argv), "object" a JSON object (a screen region).
    type: Literal["string", "integer", "number", "boolean", "array", "object", "any"]
    required: bool = True
    description: str = ""
    choices: list[str] | None = None
    default: Any = Field(default=None, description="The value used when the param is absent.")
    pattern: str | None = Field(
        default=None,
        description="A regular expression the value's text must match (searched, not anchored).",
    )


class CommandSpec(ResponseModel):
    """A command the device's driver accepts in an action."""

    command: str
    description: str = ""
    params: list[ParamSpec] = Field(default_factory=list)


class VerificationSpec(ResponseModel):
    """A verification `type` + `command` the device's driver accepts."""

    type: str
    command: str
    description: str = ""
    params: list[ParamSpec] = Field(default_factory=list)


class DeviceView(ResponseModel):
    device_id: str
    name: str
    model: str
    driver: str
    host_name: str
    tags: list[str] = Field(default_factory=list, description="From the host's config.")
    state: DeviceState
    hold: DeviceHold | None = Field(
        default=None, description="Set by the proxy when the lab holds the device."
    )
    offline_since: datetime | None = Field(
        default=None, description="When the host first saw the device offline in this outage."
    )
    current_execution_id: str | None = None
    queue_length: int = 0
    queued_execution_ids: list[str] = Field(default_factory=list)
    current_node: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    commands: list[CommandSpec] = Field(default_factory=list)
    verifications: list[VerificationSpec] = Field(default_factory=list)
