"""The lab dashboard the proxy serves at `/` (docs/dashboard.md).

The pages are a TypeScript app (`clients/dashboard`, built into `static/`) that talks
to the proxy's public API like any client; the live wall reads `GET /server/watch`.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from proxy_service.dashboard.pages import include_pages
from proxy_service.lab_queue import queue_page
from proxy_service.routes.responses import errors
from proxy_service.routes.watch import router as watch_router
from proxy_service.state import ProxyState
from proxy_service.watch import LabWatch, WatchNudge, lab_watch
from service_common.route_table import include_flat


def include_dashboard(app: FastAPI) -> None:
    """The watch route under /server (API keys apply, as to every /server route), the pages."""
    include_flat(app, watch_router, prefix="/server", responses=errors(401))
    app.add_middleware(WatchNudge)
    include_pages(app)


@asynccontextmanager
async def dashboard_lifespan(proxy: ProxyState) -> AsyncIterator[dict[str, LabWatch]]:
    settings = proxy.settings
    async with lab_watch(
        proxy.registry,
        proxy.client,
        refresh_s=settings.watch_refresh_s,
        max_followed=min(settings.watch_max_followed, settings.max_connections // 2),
        first_read_s=settings.connect_timeout_s,
        queue=lambda: queue_page(proxy),
    ) as watch:
        yield {"watch": watch}


__all__ = ["dashboard_lifespan", "include_dashboard"]
