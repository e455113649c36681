"""Starts for any matching device of the lab: the selector and the lab's own start fields."""

from pydantic import ConfigDict, Field

from schemas.base import Identifier, RequestModel, ResponseModel
from schemas.devices import DeviceHold, DeviceState


class DeviceSelector(RequestModel):
    """Which devices may run a lab request: every given field must hold (an empty one: any)."""

    model: str | None = Field(default=None, min_length=1, max_length=128)
    driver: str | None = Field(default=None, min_length=1, max_length=64)
    tags: list[str] = Field(
        default_factory=list, max_length=20, description="The device has all of these tags."
    )
    host_name: Identifier | None = None
    device_ids: list[Identifier] = Field(
        default_factory=list, max_length=500, description="One of these device ids."
    )


# Fields a proxy start accepts besides the kind's own; none of them reaches a host.
LAB_FIELDS = (
    "device_selector",
    "priority",
    "queue_timeout_s",
    "retry_on_infra_failure",
    "all_matching",
)


class HoldRequest(RequestModel):
    """An operator's drain or quarantine: why (shown in the device views)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "firmware update"}]})

    reason: str = Field(default="", max_length=500)


class LabDeviceView(ResponseModel):
    """A device of the lab inventory: what the dispatcher matches and whether it may use it."""

    host_name: str
    device_id: str
    model: str
    driver: str | None = None
    tags: list[str] = Field(default_factory=list)
    state: DeviceState = Field(description="The host's, or `quarantined`/`draining` (`hold`).")
    hold: DeviceHold | None = None
    errors_in_row: int = Field(
        default=0, description="Lab executions that ended in `error` since the last other end."
    )
    lab_execution_id: str | None = Field(
        default=None, description="The lab request claimed or running on it."
    )
