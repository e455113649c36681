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


# Path parameters as the docs page pre-fills them: the demo library's tree.
PATH_EXAMPLES = {"tree_id": "simtv"}


def start_parameters(route: KindRoute) -> dict[str, Any]:
    """OpenAPI entries for a start route's header and path parameters, read by the endpoint."""
    params = [_IDEMPOTENCY_HEADER] + [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
            "example": PATH_EXAMPLES[name],
        }
        for name in route.path_params
    ]
    return {"parameters": params}


def body_examples(route: KindRoute, fields: dict[str, Any]) -> dict[str, Any]:
    """The request model's examples, with the fields the service needs (the proxy's
    `host_name`) first, as named examples: "Try it out" starts with the first one."""
    extra = route.request_model.model_config.get("json_schema_extra")
    examples = extra.get("examples", []) if isinstance(extra, dict) else []
    if not isinstance(examples, list) or not examples:
        return {}
    named = {
        f"example {number}": {"value": {**fields, **example}}
        for number, example in enumerate(examples, start=1)
        if isinstance(example, dict)
    }
    return {"requestBody": {"content": {"application/json": {"examples": named}}}}


def follow_links(
    operations: dict[str, str], parameters: dict[str, str] | None = None
) -> dict[str, Any]:
    """OpenAPI links from a start's answer to the operations that follow its execution
    (named link -> operationId); fuzzers chain start, status, events and cancel by them."""
    passed = {"execution_id": "$response.body#/execution_id", **(parameters or {})}
    return {
        name: {"operationId": operation, "parameters": passed}
        for name, operation in operations.items()
    }


def start_router(
    kinds: Iterable[ExecutionKind],
    endpoint: Callable[[KindRoute], Callable[..., Any]],
    error_responses: dict[int | str, dict[str, Any]],
    example_fields: dict[str, Any] | None = None,
    links: dict[str, Any] | None = None,
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
                202: {"description": "Accepted", "links": links or {}},
                **error_responses,
            },
            operation_id=f"start_{kind.value}",
            summary=f"Start {kind.value}",
            tags=[kind.value],
            openapi_extra={
                **start_parameters(route),
                **body_examples(route, example_fields or {}),
            },
        )
    return router
