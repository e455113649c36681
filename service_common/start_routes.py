"""The start routes of every execution kind, generated from `schemas.kinds.START_ROUTES`.

Host and proxy differ only in the endpoint (run it here, or forward it) and in
the errors they declare; the paths, models and OpenAPI entries are the same.
"""

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.exceptions import RequestValidationError

from schemas import ExecutionAccepted, ExecutionKind
from schemas.kinds import START_ROUTES, KindRoute

IDEMPOTENCY_KEY_MAX = 200

# The Idempotency-Key header as FastAPI would declare `Header(max_length=200)`. The
# endpoints read it themselves (`idempotency_key`): a declared header parameter
# costs every start about 20 µs of FastAPI's parameter solving (bench/README.md).
_IDEMPOTENCY_HEADER = {
    "name": "idempotency-key",
    "in": "header",
    "required": False,
    "schema": {
        "anyOf": [{"type": "string", "maxLength": IDEMPOTENCY_KEY_MAX}, {"type": "null"}],
        "description": "Repeat-safe key for this start.",
        "title": "Idempotency-Key",
    },
    "description": "Repeat-safe key for this start.",
}


def idempotency_key(request: Request) -> str | None:
    """The request's Idempotency-Key; a 422 naming the header when it is too long."""
    value = request.headers.get("idempotency-key")
    if value is not None and len(value) > IDEMPOTENCY_KEY_MAX:
        raise RequestValidationError(
            [
                {
                    "type": "string_too_long",
                    "loc": ("header", "idempotency-key"),
                    "msg": f"String should have at most {IDEMPOTENCY_KEY_MAX} characters",
                    "input": value,
                    "ctx": {"max_length": IDEMPOTENCY_KEY_MAX},
                }
            ]
        )
    return value


def start_parameters(route: KindRoute) -> dict[str, Any]:
    """OpenAPI entries for a start route's header and path parameters, read by the endpoint."""
    params = [_IDEMPOTENCY_HEADER] + [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in route.path_params
    ]
    return {"parameters": params}


def start_router(
    kinds: Iterable[ExecutionKind],
    endpoint: Callable[[KindRoute], Callable[..., Any]],
    error_responses: dict[int | str, dict[str, Any]],
) -> APIRouter:
    router = APIRouter()
    for kind in kinds:
        route = START_ROUTES[kind]
        router.add_api_route(
            route.start_path,
            endpoint(route),
            methods=["POST"],
            status_code=status.HTTP_202_ACCEPTED,
            response_model=ExecutionAccepted,
            responses={
                200: {"model": ExecutionAccepted, "description": "Idempotent repeat"},
                **error_responses,
            },
            operation_id=f"start_{kind.value}",
            summary=f"Start {kind.value}",
            tags=[kind.value],
            openapi_extra=start_parameters(route),
        )
    return router
