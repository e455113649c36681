"""Hosts as the proxy knows them: registration, heartbeat and the fan-out listings."""

from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict, Field, HttpUrl

from schemas.base import Identifier, RequestModel, ResponseModel
from schemas.devices import DeviceState, DeviceView
from schemas.errors import ErrorBody
from schemas.execution import ExecutionPage


class HostDevice(ResponseModel):
    """A device as a host announces it to the proxy."""

    device_id: str
    name: str
    model: str
    state: DeviceState
    driver: str | None = None
    tags: list[str] = Field(default_factory=list)


class HostHeartbeat(RequestModel):
    """What a registered host sends periodically: it is alive, with its devices' states."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"devices": [{"device_id": "tv-1", "name": "TV", "model": "m", "state": "idle"}]}
            ]
        }
    )

    devices: list[HostDevice] = Field(default_factory=list)


class HostRegistration(HostHeartbeat):
    """A host announcing itself: its name, the URL the proxy reaches it at, its devices."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "host_name": "lab-host-3",
                    "url": "http://10.0.0.13:8101",
                    "devices": [
                        {"device_id": "tv-1", "name": "TV", "model": "simtv-4k", "state": "idle"}
                    ],
                }
            ]
        }
    )

    host_name: Identifier
    url: HttpUrl = Field(description="Base URL of the host, without the /host prefix.")


class HostStatus(StrEnum):
    online = "online"  # seen (heartbeat or health check) within the expiry time
    offline = "offline"  # missed its heartbeats or failed its health checks
    unknown = "unknown"  # configured, not checked yet: requests are still forwarded


class HostView(ResponseModel):
    host_name: str
    url: str
    source: str = Field(description="`config` (the proxy's file) or `registered`.")
    status: HostStatus
    last_heartbeat: datetime | None = None
    last_seen: datetime | None = Field(
        default=None, description="Last successful heartbeat or health check."
    )
    last_error: str | None = None
    devices: list[HostDevice] = Field(default_factory=list)


class HostDevices(ResponseModel):
    """One host's part of a fan-out device listing; `error` is set when it did not answer."""

    host_name: str
    reachable: bool
    devices: list[DeviceView] = Field(default_factory=list)
    error: ErrorBody | None = None


class DeviceListing(ResponseModel):
    hosts: list[HostDevices]


class HostExecutions(ResponseModel):
    """One host's part of a fan-out execution listing; `error` is set when it did not answer."""

    host_name: str
    reachable: bool
    page: ExecutionPage | None = None
    error: ErrorBody | None = None


class ExecutionListing(ResponseModel):
    hosts: list[HostExecutions]
