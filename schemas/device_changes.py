"""What changed on a host's devices past a point: `GET /host/devices/changes`."""

from pydantic import Field

from schemas.base import ResponseModel
from schemas.devices import DeviceView

# `<run>-<seq>`: the host process that answered (a restarted host has another run) and
# its count of device changes at the moment of the answer.
CURSOR_PATTERN = r"^[0-9a-f]{8}-[0-9]{1,18}$"


class DeviceChanges(ResponseModel):
    """The devices whose view may have changed past `after`, or every device."""

    cursor: str = Field(
        pattern=CURSOR_PATTERN, description="Pass as `after` to hear of the next change."
    )
    complete: bool = Field(
        description="`devices` is every device of the host: asked without `after`, or with "
        "a cursor of an earlier run of the host (it restarted)."
    )
    devices: list[DeviceView] = Field(
        description="Each changed device once, as it is now (possibly unchanged after all)."
    )
