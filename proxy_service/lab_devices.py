"""The lab inventory as clients see it: every known device with its hold, and the holds
shown on the hosts' own device views (`/server/devices`)."""

from datetime import UTC, datetime

from proxy_service.inventory import HealthMap, LabDevice, hold_on
from proxy_service.lab.health_rows import HOST, QUARANTINED, Health
from proxy_service.lab_errors import UnknownDeviceError
from proxy_service.state import ProxyState
from schemas import DeviceHold, DeviceState, DeviceView
from schemas.lab import LabDeviceView


def device_hold(
    health: HealthMap, host_name: str, device_id: str, host_state: DeviceState | None
) -> DeviceHold | None:
    held = hold_on(health, host_name, device_id)
    if held is None or held.hold is None:
        return None
    reason = held.reason or held.hold
    if held.device_id == HOST:
        reason = f"host {host_name} is draining: {reason}"
    return DeviceHold(
        state=DeviceState.quarantined if held.hold == QUARANTINED else DeviceState.draining,
        reason=reason,
        since=datetime.fromtimestamp(held.since or 0, UTC),
        host_state=host_state,
    )


def held_view(view: DeviceView, health: HealthMap) -> DeviceView:
    """A host's device view with the lab's hold on it, if there is one."""
    hold = device_hold(health, view.host_name, view.device_id, view.state)
    if hold is None:
        return view
    return view.model_copy(update={"state": hold.state, "hold": hold})


def _view(
    device: LabDevice, health: HealthMap, running: dict[tuple[str, str], str]
) -> LabDeviceView:
    hold = device_hold(health, device.host_name, device.device_id, device.state)
    counted = health.get(device.key, Health(*device.key))
    return LabDeviceView(
        host_name=device.host_name,
        device_id=device.device_id,
        model=device.model,
        driver=device.driver,
        tags=sorted(device.tags),
        state=device.state if hold is None else hold.state,
        hold=hold,
        errors_in_row=counted.errors_in_row,
        lab_execution_id=running.get(device.key),
    )


async def lab_devices(state: ProxyState, host_name: str | None = None) -> list[LabDeviceView]:
    health = await state.lab.device_health()
    running = {
        (r.host_name, r.device_id): r.id
        for r in await state.lab.unsettled()
        if r.host_name is not None and r.device_id is not None
    }
    return [
        _view(d, health, running)
        for d in state.lab_tier.inventory.devices()
        if host_name is None or d.host_name == host_name
    ]


async def lab_device(state: ProxyState, host_name: str, device_id: str) -> LabDeviceView:
    state.registry.get(host_name)  # 404 naming an unknown host
    for view in await lab_devices(state, host_name):
        if view.device_id == device_id:
            return view
    raise UnknownDeviceError(
        f"host {host_name!r} has no device {device_id!r} the lab knows",
        details={"host_name": host_name, "device_id": device_id},
    )
