"""The dashboard's pages: one built app (clients/dashboard) served for each of its paths.

Every asset comes from `static/`, the Vite build that `scripts/bootstrap.sh` produces;
the Content-Security-Policy allows nothing else, so a page that tried to reach a CDN
or an outside font would fail loudly in the browser instead of silently in the lab.
"""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from service_common.route_table import include_flat

STATIC = Path(__file__).parent / "static"
# The client-side routes of the app (clients/dashboard/src/routes.ts).
PAGES = (
    "/",
    "/executions",
    "/executions/{execution_id}",  # a lab execution: no host chosen when it was started
    "/executions/{host_name}/{execution_id}",
    "/history",
    "/start",
)
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-cache",  # the page names hashed assets: always ask for the newest
    "X-Content-Type-Options": "nosniff",
}
NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Dashboard not built</title></head><body><main><h1>The dashboard is not built</h1>
<p>This proxy has no built dashboard in <code>{path}</code>. Run
<code>scripts/bootstrap.sh</code> (it builds <code>clients/dashboard</code> with npm), or
use the API: <a href="/docs">/docs</a>.</p></main></body></html>"""


def page_router(static: Path = STATIC) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    async def page() -> HTMLResponse:
        index = static / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT.format(path=static), status_code=503, headers=HEADERS)
        return HTMLResponse(index.read_bytes(), headers=HEADERS)

    for path in PAGES:
        router.add_api_route(path, page, methods=["GET"])
    return router


def include_pages(app: FastAPI, static: Path = STATIC) -> None:
    include_flat(app, page_router(static))
    # Hashed file names: a cached asset never goes stale. check_dir off: not built yet is
    # answered by the pages themselves.
    app.mount("/assets", StaticFiles(directory=static / "assets", check_dir=False), "assets")
