"""Device routes: what each device is doing and what it accepts."""

from fastapi import APIRouter

from host_service.deps import HostStateDep
from host_service.routes.responses import errors
from schemas import DeviceView

router = APIRouter(tags=["devices"])


@router.get("/devices", response_model=list[DeviceView], operation_id="list_devices")
async def list_devices(state: HostStateDep) -> list[DeviceView]:
    """Every device of this host with its state, queue and accepted commands."""
    return state.device_views.all()


@router.get(
    "/devices/{device_id}",
    response_model=DeviceView,
    responses=errors(404, 422),
    operation_id="get_device",
)
async def get_device(device_id: str, state: HostStateDep) -> DeviceView:
    """One device: state (idle, busy, stuck, offline), queue, current node, accepted commands."""
    return state.device_views.get(device_id)
