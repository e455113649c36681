"""`create_app(settings)`: the proxy service's FastAPI application."""

import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from proxy_service.auth import ApiKeyAuth
from proxy_service.dashboard import dashboard_lifespan, include_dashboard
from proxy_service.errors import add_exception_handlers
from proxy_service.hosts import Clock
from proxy_service.lifespan import proxy_lifespan
from proxy_service.routes import include_proxy_routes
from proxy_service.settings import ProxySettings
from service_common.openapi_document import publish_query_parameters_without_null
from service_common.route_table import index_routes
from service_common.web_layer import add_web_layer


def create_app(
    settings: ProxySettings,
    *,
    mounts: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    clock: Clock = time.monotonic,
) -> FastAPI:
    """`mounts` routes host URLs to in-process transports (tests); `clock` ages heartbeats."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, object]]:
        async with (
            proxy_lifespan(app, settings, mounts, clock) as state,
            dashboard_lifespan(state["proxy"]) as dashboard,
        ):
            yield {**state, **dashboard}

    app = FastAPIOffline(  # docs assets served locally: labs are often air-gapped
        title="device-orchestrator proxy",
        version="0.1.0",
        description="One front door for the hosts of a lab: forwards every /host route "
        "under /server, with the target host named by `host_name`.",
        lifespan=lifespan,
        redoc_url=None,
        # No validator badge: it would call a public server. Operation ids are the client methods.
        swagger_ui_parameters={"validatorUrl": None, "displayOperationId": True},
    )
    add_exception_handlers(app)
    publish_query_parameters_without_null(app)
    include_proxy_routes(app)
    include_dashboard(app)  # the lab's web page at /, and the live watch it reads
    if settings.api_keys:
        app.add_middleware(ApiKeyAuth, keys=settings.api_keys)
    add_web_layer(app, max_body_bytes=settings.max_body_bytes, cors_origins=settings.cors_origins)
    index_routes(app)
    return app
