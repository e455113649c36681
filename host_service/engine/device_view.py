"""DeviceViews: the one place a device's state is derived, from its lease, record and driver."""

from host_service.drivers import Device
from host_service.engine.devices import DeviceCatalog
from host_service.engine.leases import DeviceLeases
from host_service.engine.registry import ExecutionRegistry
from host_service.errors import NotFoundError
from schemas import DeviceState, DeviceView


class DeviceViews:
    def __init__(
        self, devices: DeviceCatalog, leases: DeviceLeases, registry: ExecutionRegistry
    ) -> None:
        self._devices = devices
        self._leases = leases
        self._registry = registry

    def all(self) -> list[DeviceView]:
        return [self.view(device) for device in self._devices]

    def get(self, device_id: str) -> DeviceView:
        return self.view(self._devices.get(device_id))

    def _holder(self, device: Device) -> tuple[DeviceState, str | None]:
        """busy while its execution runs; stuck once reported stopped while its call runs on."""
        holder = self._leases.holder(device.id)
        if holder is None:
            return DeviceState.idle, None
        try:
            finished = self._registry.get(holder).status.terminal
        except NotFoundError:
            finished = True
        if not finished:
            return DeviceState.busy, holder
        if not self._leases.has_returned(device.id, holder):
            return DeviceState.stuck, holder
        return DeviceState.idle, None  # done; the lease passes on within a few loop turns

    def view(self, device: Device) -> DeviceView:
        state, holder = self._holder(device)
        offline_since = device.offline_since()
        if state is DeviceState.idle and offline_since is not None:
            state = DeviceState.offline
        queued = self._leases.queued(device.id)
        # A copy first: the execution's thread may move the device while this reads.
        tracked = dict(device.positions)
        positions = {tree: node for tree, node in tracked.items() if node is not None}
        current_node = next(iter(positions.values()), None) if len(positions) == 1 else None
        return DeviceView(
            device_id=device.id,
            name=device.config.name,
            model=device.config.model,
            driver=device.config.driver,
            host_name=self._devices.host_name,
            tags=device.config.tags,
            state=state,
            offline_since=offline_since,
            current_execution_id=holder,
            queue_length=len(queued),
            queued_execution_ids=queued,
            current_node=current_node,
            details={**device.driver.status(), "positions": positions},
            commands=device.driver.commands(),
            verifications=device.verifications(),
        )
