"""Start routes for every execution kind, generated from `schemas.kinds.START_ROUTES`."""

import re
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from proxy_service.deps import ProxyStateDep
from proxy_service.errors import RequestInvalidError, field_error
from proxy_service.lab_starts import check_target, lab_model, queue_start
from proxy_service.matrix.starts import is_matrix, matrix_start
from proxy_service.routes.responses import FORWARDED, errors
from schemas import ExecutionAccepted
from schemas.base import IDENTIFIER_PATTERN, StartRequest
from schemas.kinds import START_ROUTES, KindRoute
from service_common.start_routes import follow_links, idempotency_key
from service_common.start_routes import start_router as shared_start_router

_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)


def proxied(answer: ExecutionAccepted, host_name: str) -> ExecutionAccepted:
    """The host's answer with links that lead back through the proxy."""
    kind, execution_id, query = answer.kind.value, answer.execution_id, f"?host_name={host_name}"
    return answer.model_copy(
        update={
            "status_url": f"/server/{kind}/execution/{execution_id}/status{query}",
            "events_url": f"/server/executions/{execution_id}/events{query}",
        }
    )


def host_path(route: KindRoute, request: Request) -> str:
    """The start path on the host, with path parameters checked like any identifier."""
    values = {}
    for name in route.path_params:
        value = str(request.path_params[name])
        if not _IDENTIFIER.match(value) or len(value) > 128:
            raise RequestInvalidError(
                f"invalid {name}: {value!r}",
                details=[{"loc": ["path", name], "msg": "not a valid identifier"}],
            )
        values[name] = quote(value, safe="")
    return route.start_path.format(**values)


def _endpoint(route: KindRoute) -> Any:
    model = lab_model(route)

    async def start(
        request: Request,
        body: model,  # type: ignore[valid-type]  # the model is chosen per kind at import time
        state: ProxyStateDep,
    ) -> Response:
        start_request: StartRequest = body
        selector = check_target(start_request)
        if selector is not None:
            path = host_path(route, request)
            key = idempotency_key(request)
            admit = matrix_start if is_matrix(start_request) else queue_start
            code, answer = await admit(state, route, path, start_request, selector, key)
            return JSONResponse(
                answer.model_dump(mode="json"),
                status_code=code,
                headers={"Location": answer.status_url, "Retry-After": "1"},
            )
        if start_request.host_name is None:
            raise RequestInvalidError(
                "host_name is required through the proxy",
                details=[field_error(["host_name"], "required through the proxy")],
            )
        entry = state.registry.route(start_request.host_name)
        key = idempotency_key(request)
        code, answer = await state.client.start(
            entry,
            host_path(route, request),
            start_request.model_dump(mode="json", exclude_unset=True),
            None if key is None else key.encode("latin-1"),  # the header's bytes, as sent
        )
        answer = proxied(answer, entry.name)
        return JSONResponse(
            answer.model_dump(mode="json"),
            status_code=code,
            headers={"Location": answer.status_url, "Retry-After": "1"},
        )

    start.__doc__ = (
        f"{route.summary} The body names `host_name` and `device_id`, or a `device_selector`."
    )
    return start


# The documented examples go to the first host of the demo config (examples/proxy.yaml).
EXAMPLE_HOST = "demo-host-1"


def start_router() -> APIRouter:
    links = follow_links(
        {
            "status": "get_execution",
            "events": "stream_execution_events",
            "cancel": "cancel_execution",
        },
        {"host_name": "$request.body#/host_name"},
    )
    return shared_start_router(
        START_ROUTES, _endpoint, errors(*FORWARDED, 413), {"host_name": EXAMPLE_HOST}, links
    )
