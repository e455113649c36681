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
from proxy_service.lab.health_rows import HOST, Health
from schemas import DeviceState, HostDevice, HostStatus
from schemas.lab import DeviceSelector

HealthMap = dict[tuple[str, str], Health]

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


def hold_on(health: HealthMap, host_name: str, device_id: str) -> Health | None:
    """The hold that keeps the lab from a device: its own, else its host's (drained)."""
    for key in ((host_name, device_id), (host_name, HOST)):
        found = health.get(key)
        if found is not None and found.hold is not None:
            return found
    return None


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
        # Per host: the device list last seen (hosts replace it, never change it in place)
        # and its LabDevices, so every start and tick does not build 500 of them again.
        self._built: dict[str, tuple[list[HostDevice], list[LabDevice]]] = {}

    def _of(self, entry: HostEntry) -> list[LabDevice]:
        seen, built = self._built.get(entry.name, (None, []))
        if seen is not entry.devices:
            built = [lab_device(entry.name, d) for d in entry.devices]
            self._built[entry.name] = (entry.devices, built)
        return built

    def devices(self) -> list[LabDevice]:
        """Every known device."""
        return [d for e in self._registry for d in self._of(e)]

    def usable(self, health: HealthMap) -> list[LabDevice]:
        """The devices the lab may dispatch to: of online hosts, not offline or stuck, and
        not held (quarantined or draining, or of a drained host)."""
        found = []
        for entry in self._registry:
            if self._registry.status(entry) is HostStatus.offline:
                continue
            for device in self._of(entry):
                if device.state in (DeviceState.offline, DeviceState.stuck):
                    continue
                if hold_on(health, entry.name, device.device_id) is None:
                    found.append(device)
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
        entry.devices = [HostDevice.of(v) for v in views]
