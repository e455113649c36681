"""The host registry: listing for clients, registration and heartbeat for hosts."""

from fastapi import APIRouter

from proxy_service.deps import IdPath, ProxyStateDep
from proxy_service.errors import RequestInvalidError, field_error
from proxy_service.host_urls import HostUrlError, check_registrable
from proxy_service.persisted_hosts import heartbeat as shared_heartbeat
from proxy_service.persisted_hosts import save_host
from proxy_service.routes.responses import errors
from schemas import HostHeartbeat, HostRegistration, HostView

router = APIRouter(tags=["hosts"])
registration_router = APIRouter(tags=["hosts"])


@router.get("/hosts", response_model=list[HostView], operation_id="list_hosts")
async def list_hosts(state: ProxyStateDep) -> list[HostView]:
    """Every known host with its state (online, offline, unknown), last heartbeat and devices."""
    return [state.registry.view(entry) for entry in state.registry]


@registration_router.post(
    "/hosts/register",
    response_model=HostView,
    responses=errors(401, 409, 413, 422),
    operation_id="register_host",
)
async def register_host(body: HostRegistration, state: ProxyStateDep) -> HostView:
    """A host announces its name, URL and devices; it is online from now on."""
    try:
        await check_registrable(body.url, state.settings.host_networks)
    except HostUrlError as exc:
        raise RequestInvalidError(f"url: {exc}", details=[field_error(["url"], str(exc))]) from exc
    # A configured host's URL cannot move (409), nor its devices be told (hosts.py).
    entry = state.registry.register(body)
    await save_host(state.lab, entry)
    return state.registry.view(entry)


@registration_router.post(
    "/hosts/{host_name}/heartbeat",
    response_model=HostView,
    responses=errors(401, 404, 413, 422),
    operation_id="host_heartbeat",
)
async def heartbeat(host_name: IdPath, body: HostHeartbeat, state: ProxyStateDep) -> HostView:
    """A registered host is still alive; a 404 tells it to register again."""
    entry = await shared_heartbeat(state.registry, state.lab, host_name, body)
    return state.registry.view(entry)


@router.delete(
    "/hosts/{host_name}",
    status_code=204,
    responses=errors(401, 404, 422),
    operation_id="forget_host",
)
async def forget_host(host_name: IdPath, state: ProxyStateDep) -> None:
    """Drop a registered host (a decommissioned machine); configured hosts stay listed."""
    entry = state.registry.get(host_name)
    state.registry.forget(host_name)
    if entry.source == "registered":
        await state.lab.remove_host(host_name)
