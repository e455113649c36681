"""`create_app(settings)`: the host service's FastAPI application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from host_service.errors import add_exception_handlers
from host_service.lifespan import host_lifespan
from host_service.routes import host_router, metrics
from host_service.settings import HostSettings
from host_service.state import HostState


def create_app(settings: HostSettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, HostState]]:
        async with host_lifespan(app, settings) as state:
            yield state

    app = FastAPI(
        title="device-orchestrator host",
        version="0.1.0",
        description="Runs executions on the devices plugged into this machine.",
        lifespan=lifespan,
    )
    add_exception_handlers(app)
    app.include_router(host_router())
    app.include_router(metrics.router)
    return app
