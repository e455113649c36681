"""The middleware both services put in front of their routes, in one order.

Outermost first: CORS (so every answer, errors included, carries its allow headers),
the body size limit, the simple-request guard, the UTF-8 text guard. A service adds its
own authentication inside these.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.middleware.cors import CORSMiddleware

from service_common.body_limit import BodySizeLimit
from service_common.simple_requests import SimpleRequestGuard
from service_common.text_guard import TextGuard

# What a page needs to start, follow and cancel executions.
CORS_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"]
_FORBIDDEN_ORIGIN: dict[str, Any] = {
    "description": "A simple request (text/plain or no JSON type) from an origin not allowed",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
}


def add_web_layer(app: FastAPI, *, max_body_bytes: int, cors_origins: list[str]) -> None:
    """Call after the service's own middleware and routes were added."""
    for route in app.routes:
        if isinstance(route, APIRoute) and "POST" in (route.methods or set()):
            route.responses.setdefault(403, _FORBIDDEN_ORIGIN)
    app.add_middleware(TextGuard)
    app.add_middleware(SimpleRequestGuard, allowed_origins=cors_origins)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    if cors_origins:  # none allowed (the default): no page of another origin gets an allow
        app.add_middleware(  # header either way, and no request pays for the check
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=CORS_HEADERS,
            expose_headers=["Location", "Retry-After"],
        )
