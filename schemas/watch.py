"""The lab as one live picture: every host and device, for walls and dashboards.

`GET /server/watch` sends a `snapshot` (a `LabSnapshot`) and then each change as
it happens: `host` (a `WatchHostState`), `device` (a `WatchDevice`),
`host_removed` (a `WatchHostRemoved`) and `lab_queue` (a `LabQueuePage`).
"""

from datetime import datetime

from pydantic import Field

from schemas.base import ResponseModel
from schemas.devices import DeviceState
from schemas.errors import ErrorBody
from schemas.execution import ExecutionKind, ExecutionStatus
from schemas.hosts import HostStatus
from schemas.lab_queue import LabQueuePage


class WatchExecution(ResponseModel):
    """What a device is running now, as far as a wall shows it."""

    execution_id: str
    kind: ExecutionKind
    status: ExecutionStatus
    progress: int = Field(default=0, ge=0, le=100)
    message: str = ""
    current_step: str | None = Field(default=None, description="The running step's label.")
    started_at: datetime | None = None


class WatchDevice(ResponseModel):
    host_name: str
    device_id: str
    name: str
    model: str
    driver: str
    tags: list[str] = Field(default_factory=list)
    state: DeviceState = Field(description="`offline` for every device of an unreachable host.")
    offline_since: datetime | None = None
    queue_length: int = 0
    current_execution_id: str | None = None
    current_node: str | None = None
    execution: WatchExecution | None = Field(
        default=None, description="Its summary, while the watch follows that execution."
    )


class WatchHostState(ResponseModel):
    host_name: str
    status: HostStatus = Field(description="The registry's: heartbeats and health checks.")
    reachable: bool = Field(description="Whether the last reading of its devices answered.")
    error: ErrorBody | None = Field(default=None, description="Why it could not be read.")
    last_heartbeat: datetime | None = None
    last_seen: datetime | None = None


class WatchHost(WatchHostState):
    devices: list[WatchDevice] = Field(default_factory=list)


class WatchHostRemoved(ResponseModel):
    host_name: str


class LabSnapshot(ResponseModel):
    """Every known host with its devices, as the watch last read them."""

    hosts: list[WatchHost]
    lab_queue: LabQueuePage | None = Field(
        default=None, description="Lab requests waiting for a device (the first 50)."
    )
