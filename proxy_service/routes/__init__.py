"""The proxy's HTTP routes, all under /server."""

from fastapi import Depends, FastAPI

from proxy_service.auth import require_registration_token
from proxy_service.routes import (
    devices,
    events,
    executions,
    health,
    history,
    hosts,
    lab_queue,
    metrics,
    operators,
    passthrough,
)
from proxy_service.routes.responses import errors
from proxy_service.routes.starts import start_router
from service_common.route_table import include_flat

PREFIX = "/server"


def include_proxy_routes(app: FastAPI) -> None:
    # Flat: a nested router costs each request a match pass of its own (route_table.py).
    include_flat(app, health.router, prefix=PREFIX)
    include_flat(
        app,
        hosts.registration_router,
        prefix=PREFIX,
        dependencies=[Depends(require_registration_token)],
    )
    for router in (
        hosts.router,
        start_router(),
        executions.router,
        events.router,
        devices.router,
        passthrough.router,
        history.router,
        operators.router,
        lab_queue.router,
    ):
        # Every route here answers 401 when API keys are configured (auth.py).
        include_flat(app, router, prefix=PREFIX, responses=errors(401))
    include_flat(app, metrics.router, responses=errors(401))
