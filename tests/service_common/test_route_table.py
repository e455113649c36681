"""The route index picks, for every path, the route FastAPI's own matching would pick."""

import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Response
from starlette.routing import BaseRoute, Match

from host_service import HostSettings
from host_service import create_app as create_host
from proxy_service import ProxySettings
from proxy_service import create_app as create_proxy
from service_common.route_table import RouteIndex, index_routes, path_start

PARAMETER = re.compile(r"\{[^}]+\}")


def apps(tmp_path: Path) -> dict[str, FastAPI]:
    config = tmp_path / "proxy.yaml"
    config.write_text("hosts: []\n")
    return {
        "host": create_host(HostSettings(journal="none")),
        "proxy": create_proxy(ProxySettings(config_path=config)),
    }


def first_match(routes: list[BaseRoute], path: str, method: str) -> BaseRoute | None:
    scope = {"type": "http", "path": path, "root_path": "", "method": method}
    for route in routes:
        if route.matches(scope)[0] is Match.FULL:
            return route
    return None


def request_paths(app: FastAPI) -> list[tuple[str, str]]:
    """Each route's path with its parameters filled in (both plain words and ones that
    could be another route's literal), with its methods; and paths no route has."""
    paths = [("GET", "/nowhere"), ("GET", "/host/nowhere/at/all"), ("POST", "/server")]
    for route in app.router.routes:
        template = getattr(route, "path", "")
        for method in getattr(route, "methods", None) or {"GET"}:
            for filler in ("x1", "feed", "executions", "action"):
                paths.append((method, PARAMETER.sub(filler, template)))
    return paths


@pytest.mark.parametrize("name", ["host", "proxy"])
def test_every_path_reaches_the_route_fastapi_would_choose(tmp_path: Path, name: str) -> None:
    app = apps(tmp_path)[name]
    index = app.router.middleware_stack
    assert isinstance(index, RouteIndex)
    for method, path in request_paths(app):
        narrowed = index.router_for(path_start(path)).routes
        expected = first_match(app.router.routes, path, method)
        assert first_match(narrowed, path, method) is expected, (method, path)


async def test_routes_added_later_and_trailing_slashes_behave_as_without_the_index() -> None:
    app = FastAPI()

    @app.get("/items/{item_id}")
    async def item(item_id: str) -> Response:
        return Response(item_id)

    index_routes(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/items/a")).text == "a"

        @app.get("/later")
        async def later() -> Response:
            return Response("later")

        assert (await client.get("/later")).text == "later"
        redirect = await client.get("/later/")
        assert redirect.status_code == 307
        assert redirect.headers["location"] == "http://test/later"
        assert (await client.get("/nowhere")).status_code == 404
