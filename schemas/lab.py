"""Starts for any matching device of the lab: the selector and the lab's own start fields."""

from pydantic import Field

from schemas.base import Identifier, RequestModel


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
LAB_FIELDS = ("device_selector", "priority", "queue_timeout_s", "retry_on_infra_failure")
