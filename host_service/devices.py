"""The devices of this host: their config, their driver, and how clients see them."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from host_service.config import DeviceConfig, HostConfig
from host_service.drivers import DRIVERS, Driver
from host_service.errors import NotFoundError
from host_service.leases import DeviceLeases
from host_service.registry import ExecutionRegistry
from schemas import DeviceState, DeviceView


@dataclass(eq=False)
class Device:
    config: DeviceConfig
    driver: Driver
    # Last known node per navigation tree; None when unknown or stale.
    positions: dict[str, str | None] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.config.id


class UnknownDriverError(Exception):
    pass


class DeviceCatalog:
    def __init__(self, config: HostConfig, config_dir: Path, latency_scale: float) -> None:
        self.host_name = config.host_name
        self._devices: dict[str, Device] = {}
        for device_config in config.devices:
            builder = DRIVERS.get(device_config.driver)
            if builder is None:
                raise UnknownDriverError(
                    f"device {device_config.id}: unknown driver {device_config.driver!r}; "
                    f"known: {sorted(DRIVERS)}"
                )
            driver = builder(device_config.settings, config_dir, latency_scale)
            self._devices[device_config.id] = Device(device_config, driver)

    def __iter__(self) -> Iterator[Device]:
        return iter(self._devices.values())

    def __len__(self) -> int:
        return len(self._devices)

    def ids(self) -> list[str]:
        return list(self._devices)

    def get(self, device_id: str) -> Device:
        device = self._devices.get(device_id)
        if device is None:
            raise NotFoundError(
                f"no device {device_id!r} on host {self.host_name}; known: {self.ids()}",
                code="device_not_found",
            )
        return device

    def view(self, device: Device, leases: DeviceLeases, registry: ExecutionRegistry) -> DeviceView:
        holder = leases.holder(device.id)
        state = DeviceState.idle
        if holder is not None:
            try:
                finished = registry.get(holder).status.terminal
            except NotFoundError:
                finished = True
            if not finished:
                state = DeviceState.busy
            elif not leases.has_returned(device.id, holder):
                state = DeviceState.stuck  # reported stopped, its driver call still running
            else:
                holder = None  # done; the lease passes on within a few turns of the loop
        if holder is None and not device.driver.online:
            state = DeviceState.offline
        queued = leases.queued(device.id)
        # A copy first: the execution's thread may move the device while this reads.
        tracked = dict(device.positions)
        positions = {tree: node for tree, node in tracked.items() if node is not None}
        current_node = next(iter(positions.values()), None) if len(positions) == 1 else None
        return DeviceView(
            device_id=device.id,
            name=device.config.name,
            model=device.config.model,
            driver=device.config.driver,
            host_name=self.host_name,
            tags=device.config.tags,
            state=state,
            current_execution_id=holder,
            queue_length=len(queued),
            queued_execution_ids=queued,
            current_node=current_node,
            details={**device.driver.status(), "positions": positions},
            commands=device.driver.commands(),
            verifications=device.driver.verifications(),
        )

    def close(self) -> None:
        for device in self._devices.values():
            device.driver.close()
