"""The host's HTTP routes, all under /host."""

from fastapi import APIRouter

from host_service.executors import EXECUTOR_TYPES
from host_service.routes import devices, events, executions, health
from host_service.routes.starts import start_router


def host_router() -> APIRouter:
    router = APIRouter(prefix="/host")
    router.include_router(start_router(EXECUTOR_TYPES))
    router.include_router(executions.router)
    router.include_router(events.router)
    router.include_router(devices.router)
    router.include_router(health.router)
    return router
