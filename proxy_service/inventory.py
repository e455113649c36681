"""The lab's devices as the proxy knows them, and which of them a selector matches.

Registered hosts announce their devices (with heartbeats); for a configured host that
never registered, the devices are read from `GET /host/devices` once it answers.
"""

import asyncio
import time
from dataclasses import dataclass

from proxy_service.client import HostClient
from proxy_service.errors import ProxyError
from proxy_service.hosts import HostEntry, HostRegistry
from schemas import DeviceState, HostDevice, HostStatus
from schemas.lab import DeviceSelector

REFRESH_S = 10.0  # how often a host that did not announce its devices is asked for them


@dataclass(frozen=True)
class LabDevice:
    host_name: str
    device_id: str
    model: str
    driver: str | None
    tags: frozenset[str]
    state: DeviceState

    @property
    def key(self) -> tuple[str, str]:
        return self.host_name, self.device_id


def matches(selector: DeviceSelector, device: LabDevice) -> bool:
    return (
        (selector.model is None or selector.model == device.model)
        and (selector.driver is None or selector.driver == device.driver)
        and (selector.host_name is None or selector.host_name == device.host_name)
        and (not selector.device_ids or device.device_id in selector.device_ids)
        and set(selector.tags) <= device.tags
    )


def lab_device(host_name: str, device: HostDevice) -> LabDevice:
    return LabDevice(
        host_name,
        device.device_id,
        device.model,
        device.driver,
        frozenset(device.tags),
        device.state,
    )


class Inventory:
    def __init__(self, registry: HostRegistry, client: HostClient) -> None:
        self._registry = registry
        self._client = client
        self._asked: dict[str, float] = {}

    def devices(self, *, usable_only: bool = False) -> list[LabDevice]:
        """Every known device; `usable_only`: of online, undrained hosts, not offline itself."""
        found = []
        for entry in self._registry:
            if usable_only and (
                entry.drained or self._registry.status(entry) is HostStatus.offline
            ):
                continue
            for device in entry.devices:
                if usable_only and device.state in (DeviceState.offline, DeviceState.stuck):
                    continue
                found.append(lab_device(entry.name, device))
        return found

    async def refresh(self) -> None:
        """Ask the hosts that never announced their devices for them (not too often)."""
        now = time.monotonic()
        due = []
        for entry in self._registry:
            silent = not entry.devices and self._registry.status(entry) is not HostStatus.offline
            if silent and now - self._asked.get(entry.name, -REFRESH_S) >= REFRESH_S:
                self._asked[entry.name] = now
                due.append(entry)
        await asyncio.gather(*(self._ask(entry) for entry in due))

    async def _ask(self, entry: HostEntry) -> None:
        try:
            views = await self._client.devices(entry)
        except ProxyError:
            return  # the monitor marks it; asked again at the next refresh
        entry.devices = [
            HostDevice(
                device_id=v.device_id,
                name=v.name,
                model=v.model,
                driver=v.driver,
                tags=v.tags,
                state=v.state,
            )
            for v in views
        ]
