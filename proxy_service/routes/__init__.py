"""The proxy's HTTP routes, all under /server."""

from fastapi import APIRouter, Depends

from proxy_service.auth import require_api_key, require_registration_token
from proxy_service.routes import devices, events, executions, health, hosts, passthrough
from proxy_service.routes.responses import errors
from proxy_service.routes.starts import start_router


def proxy_router() -> APIRouter:
    router = APIRouter(prefix="/server")
    router.include_router(health.router)
    router.include_router(
        hosts.registration_router, dependencies=[Depends(require_registration_token)]
    )
    clients = APIRouter(dependencies=[Depends(require_api_key)], responses=errors(401))
    clients.include_router(hosts.router)
    clients.include_router(start_router())
    clients.include_router(executions.router)
    clients.include_router(events.router)
    clients.include_router(devices.router)
    clients.include_router(passthrough.router)
    router.include_router(clients)
    return router
