"""Device routes: one device through its host, and the listing across all hosts."""

from fastapi import APIRouter, Response

from proxy_service.deps import HostNameQuery, IdPath, OptionalHostNameQuery, ProxyStateDep
from proxy_service.fanout import fan_out
from proxy_service.lab_devices import held_view
from proxy_service.routes.responses import FORWARDED, errors
from schemas import DeviceListing, DeviceView, HostDevices

router = APIRouter(tags=["devices"])


@router.get(
    "/devices",
    response_model=DeviceListing,
    responses=errors(401, 404, 422),
    operation_id="list_devices",
)
async def list_devices(
    state: ProxyStateDep, host_name: OptionalHostNameQuery = None
) -> DeviceListing:
    """Devices of every host (or of `host_name`), lab holds shown; unreachable hosts with errors."""
    outcomes = await fan_out(
        state.registry, host_name, state.client.devices, state.settings.fanout_timeout_s
    )
    health = await state.lab.device_health()
    return DeviceListing(
        hosts=[
            HostDevices(
                host_name=e.name,
                reachable=err is None,
                devices=[held_view(d, health) for d in found or []],
                error=err,
            )
            for e, found, err in outcomes
        ]
    )


@router.get(
    "/devices/{device_id}",
    response_model=DeviceView,
    responses=errors(*FORWARDED),
    operation_id="get_device",
)
async def get_device(device_id: IdPath, state: ProxyStateDep, host_name: HostNameQuery) -> Response:
    """One device of `host_name`: state, queue, current node, accepted commands."""
    target = state.registry.route(host_name)
    return Response(await state.client.device(target, device_id), media_type="application/json")
