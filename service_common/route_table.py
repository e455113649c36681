"""How both services lay out their routes: flat in the app, matched through an index.

FastAPI tries an app's routes one by one until one matches, about 0.7 µs a try, and an
included router is a route of its own that matches its routes twice (once to find that
one of them fits, once to pick it): the host's status read paid ~40 µs before its route
was found, against ~32 µs for the whole of a hello-world request. So:

- `include_flat` adds a router's routes to the app itself, as `include_router` did before
  FastAPI kept included routers nested (same paths, responses, tags, dependencies).
- `index_routes` narrows the routes a request is tried against to those whose literal
  start (the path's segments before the first parameter, at most `DEPTH`) agrees with the
  request path's. The order of the routes is kept and FastAPI's own router does the
  matching, so the first route that matches is the one it would have chosen; routes it
  cannot place (nested routers, hosts, parameters in the first segment) are tried for
  every request.
"""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.params import Depends
from fastapi.routing import APIRoute, APIRouter
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Receive, Scope, Send

DEPTH = 2  # path segments the index looks at
_KNOWN_STARTS = 4096  # request starts kept with their routes; past that, narrowed each time

# APIRoute's constructor arguments, each kept on the route under the same name.
_ROUTE_OPTIONS = (
    "response_model",
    "status_code",
    "tags",
    "summary",
    "description",
    "response_description",
    "deprecated",
    "name",
    "methods",
    "operation_id",
    "response_model_include",
    "response_model_exclude",
    "response_model_by_alias",
    "response_model_exclude_unset",
    "response_model_exclude_defaults",
    "response_model_exclude_none",
    "include_in_schema",
    "response_class",
    "callbacks",
    "openapi_extra",
    "generate_unique_id_function",
    "strict_content_type",
    "max_body_size",
)

Start = tuple[str, ...]


def include_flat(
    app: FastAPI,
    router: APIRouter,
    *,
    prefix: str = "",
    responses: dict[int | str, dict[str, Any]] | None = None,
    dependencies: Sequence[Depends] = (),
) -> None:
    """`app.include_router(router, prefix=..., responses=..., dependencies=...)`, flat."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"include_flat takes API routes only, not {route!r}")
        options = {option: getattr(route, option) for option in _ROUTE_OPTIONS}
        app.router.add_api_route(
            prefix + route.path,
            route.endpoint,
            responses={**(responses or {}), **route.responses},
            dependencies=[*dependencies, *route.dependencies],
            **options,
        )


def route_path(scope: Scope) -> str:
    """The path the routes see: below the app's root path when it has one (as Starlette)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        return path[len(root) :]
    return path


def path_start(path: str) -> Start:
    # A trailing slash is left out: a path and its twin with(out) one (redirect_slashes)
    # then have one start.
    return tuple(path.strip("/").split("/", DEPTH)[:DEPTH]) if path.strip("/") else ()


def literal_start(route: BaseRoute) -> Start | None:
    """The route's path segments before its first parameter (at most DEPTH); None: any."""
    if isinstance(route, Route) or (isinstance(route, Mount) and route.path):
        path = route.path
    else:
        return None
    start: list[str] = []
    for segment in path_start(path):
        if "{" in segment:
            break
        start.append(segment)
    return tuple(start)


def _agrees(route_start: Start | None, request_start: Start) -> bool:
    if route_start is None:
        return True
    common = min(len(route_start), len(request_start))
    return route_start[:common] == request_start[:common]


class RouteIndex:
    """The app router's entry for HTTP requests: its own matching, over fewer routes."""

    def __init__(self, router: APIRouter) -> None:
        self._router = router
        self._indexed = -1  # how many routes the index has seen (routes are only added)
        self._starts: list[tuple[BaseRoute, Start | None]] = []
        self._narrowed: dict[Start, APIRouter] = {}

    def router_for(self, start: Start) -> APIRouter:
        if self._indexed != len(self._router.routes):  # routes added since the last index
            self._indexed = len(self._router.routes)
            self._starts = [(route, literal_start(route)) for route in self._router.routes]
            self._narrowed.clear()
        narrowed = self._narrowed.get(start)
        if narrowed is None:
            # A shallow copy: the same router (fallbacks, redirects, not-found) over fewer
            # routes.
            narrowed = APIRouter.__new__(APIRouter)
            narrowed.__dict__.update(self._router.__dict__)
            narrowed.routes = [route for route, own in self._starts if _agrees(own, start)]
            if len(self._narrowed) < _KNOWN_STARTS:
                self._narrowed[start] = narrowed
        return narrowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._router.app(scope, receive, send)
            return
        scope.setdefault("router", self._router)  # url_for looks in every route
        await self.router_for(path_start(route_path(scope))).app(scope, receive, send)


def index_routes(app: FastAPI) -> None:
    """Call once every route was added (later ones are found too, at a re-index)."""
    app.router.middleware_stack = RouteIndex(app.router)
