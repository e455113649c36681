"""The host's HTTP routes, all under /host."""

from fastapi import FastAPI

from host_service.kinds import EXECUTOR_TYPES
from host_service.routes import (
    artifacts,
    blocks,
    device_changes,
    devices,
    events,
    executions,
    feed,
    health,
    library,
    reports,
)
from host_service.routes.responses import errors
from host_service.routes.starts import start_router
from service_common.route_table import include_flat

PREFIX = "/host"


def include_host_routes(app: FastAPI) -> None:
    # Flat: a nested router costs each request a match pass of its own (route_table.py).
    for router in (
        start_router(EXECUTOR_TYPES),
        feed.router,  # before executions: /executions/feed is not an execution id
        executions.router,
        events.router,
        artifacts.router,
        device_changes.router,  # before devices: /devices/changes is not a device id
        devices.router,
        blocks.router,
        library.router,
        reports.router,
    ):
        # Every route but health answers 401 when the host has a token (auth.py).
        include_flat(app, router, prefix=PREFIX, responses=errors(401))
    include_flat(app, health.router, prefix=PREFIX)
