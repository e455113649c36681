"""Operator routes of the lab: the inventory, and drain, quarantine and release of devices
and hosts. Like every /server route they need an API key when keys are configured."""

from typing import Annotated

from fastapi import APIRouter, Body

from proxy_service.deps import HostNameQuery, IdPath, ProxyStateDep
from proxy_service.lab.health_rows import DRAINING, HOST, QUARANTINED
from proxy_service.lab_devices import lab_device, lab_devices
from proxy_service.routes.responses import errors
from proxy_service.state import ProxyState
from schemas.lab import HoldRequest, LabDeviceView

router = APIRouter(tags=["lab"])

NO_REASON = HoldRequest()  # the body is optional
HoldBody = Annotated[HoldRequest, Body()]


@router.get("/lab/devices", response_model=list[LabDeviceView], operation_id="lab_devices")
async def list_lab_devices(state: ProxyStateDep) -> list[LabDeviceView]:
    """Every device the lab knows: its state or hold (why, since when) and errors in a row."""
    return await lab_devices(state)


async def _hold_device(
    state: ProxyState, host_name: str, device_id: str, hold: str | None, body: HoldRequest
) -> LabDeviceView:
    await lab_device(state, host_name, device_id)  # 404 before anything changes
    await state.lab.hold_device(host_name, device_id, hold, body.reason)
    state.lab_tier.dispatcher.wake()
    return await lab_device(state, host_name, device_id)


@router.post(
    "/devices/{device_id}/drain",
    response_model=LabDeviceView,
    responses=errors(404, 413, 422),
    operation_id="drain_device",
)
async def drain_device(
    device_id: IdPath, state: ProxyStateDep, host_name: HostNameQuery, body: HoldBody = NO_REASON
) -> LabDeviceView:
    """Finish what runs on the device, dispatch nothing new to it until released."""
    return await _hold_device(state, host_name, device_id, DRAINING, body)


@router.post(
    "/devices/{device_id}/quarantine",
    response_model=LabDeviceView,
    responses=errors(404, 413, 422),
    operation_id="quarantine_device",
)
async def quarantine_device(
    device_id: IdPath, state: ProxyStateDep, host_name: HostNameQuery, body: HoldBody = NO_REASON
) -> LabDeviceView:
    """Dispatch nothing to the device until released (what runs on it finishes)."""
    return await _hold_device(state, host_name, device_id, QUARANTINED, body)


@router.post(
    "/devices/{device_id}/release",
    response_model=LabDeviceView,
    responses=errors(404, 422),
    operation_id="release_device",
)
async def release_device(
    device_id: IdPath, state: ProxyStateDep, host_name: HostNameQuery
) -> LabDeviceView:
    """Lift a drain or quarantine; the device's errors in a row start again from 0."""
    return await _hold_device(state, host_name, device_id, None, NO_REASON)


@router.post(
    "/hosts/{host_name}/drain",
    response_model=list[LabDeviceView],
    responses=errors(404, 413, 422),
    operation_id="drain_host",
)
async def drain_host(
    host_name: IdPath, state: ProxyStateDep, body: HoldBody = NO_REASON
) -> list[LabDeviceView]:
    """Finish what runs on the host's devices, dispatch nothing new to any until released."""
    state.registry.get(host_name)
    await state.lab.hold_device(host_name, HOST, DRAINING, body.reason)
    return await lab_devices(state, host_name)


@router.post(
    "/hosts/{host_name}/release",
    response_model=list[LabDeviceView],
    responses=errors(404, 422),
    operation_id="release_host",
)
async def release_host(host_name: IdPath, state: ProxyStateDep) -> list[LabDeviceView]:
    """Lift a host's drain (holds on single devices stay)."""
    state.registry.get(host_name)
    await state.lab.hold_device(host_name, HOST, None, "")
    state.lab_tier.dispatcher.wake()
    return await lab_devices(state, host_name)
