"""`create_app(settings)`: the host service's FastAPI application."""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from host_service.auth import HostTokenAuth
from host_service.barrier import JournalBarrier
from host_service.drivers import DEFAULT_DRIVERS, DriverFactory
from host_service.errors import add_exception_handlers
from host_service.lifespan import host_lifespan
from host_service.routes import include_host_routes, metrics
from host_service.routes.responses import errors
from host_service.settings import HostSettings
from host_service.state import HostState
from service_common.openapi_document import publish_query_parameters_without_null
from service_common.route_table import include_flat, index_routes
from service_common.web_layer import add_web_layer


def create_app(
    settings: HostSettings,
    *,
    drivers: Mapping[str, DriverFactory] = DEFAULT_DRIVERS,
    proxy_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """`drivers` maps a config's `driver` names to factories (tests add their own);
    `proxy_transport` reaches an in-process proxy (tests) instead of the network."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, HostState]]:
        async with host_lifespan(app, settings, drivers, proxy_transport) as state:
            yield state

    app = FastAPIOffline(  # docs assets served locally: labs are often air-gapped
        title="device-orchestrator host",
        version="0.1.0",
        description="Runs executions on the devices plugged into this machine.",
        lifespan=lifespan,
        redoc_url=None,
        # No validator badge: it would call a public server. Operation ids are the client methods.
        swagger_ui_parameters={"validatorUrl": None, "displayOperationId": True},
    )
    add_exception_handlers(app)
    publish_query_parameters_without_null(app)
    include_host_routes(app)
    include_flat(app, metrics.router, responses=errors(401))
    app.add_middleware(JournalBarrier)
    if settings.token is not None:
        app.add_middleware(HostTokenAuth, token=settings.token)
    add_web_layer(app, max_body_bytes=settings.max_body_bytes, cors_origins=settings.cors_origins)
    index_routes(app)
    return app
