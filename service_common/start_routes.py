"""The start routes of every execution kind, generated from `schemas.kinds.START_ROUTES`.

Host and proxy differ only in the endpoint (run it here, or forward it) and in
the errors they declare; the paths, models and OpenAPI entries are the same.
"""

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, status

from schemas import ExecutionAccepted, ExecutionKind
from schemas.kinds import START_ROUTES, KindRoute


def path_parameters(route: KindRoute) -> dict[str, Any] | None:
    """OpenAPI entries for a start path's parameters, which the endpoint reads itself."""
    if not route.path_params:
        return None
    params = [
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
            openapi_extra=path_parameters(route),
        )
    return router
