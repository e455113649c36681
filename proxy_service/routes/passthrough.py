"""Routes relayed as the host answers them: library catalogues and reload, JUnit reports."""

import re
from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from proxy_service import lab_views
from proxy_service.deps import HostNameQuery, IdPath, LabHostNameQuery, ProxyStateDep
from proxy_service.errors import RequestInvalidError
from proxy_service.hosts import HostEntry
from proxy_service.routes.responses import FORWARDED, errors
from proxy_service.state import ProxyState
from schemas.base import IDENTIFIER_PATTERN
from schemas.library import LibrarySummary

router = APIRouter()
_SEGMENT = re.compile(IDENTIFIER_PATTERN)


async def relay_get(state: ProxyState, entry: HostEntry, path: str, request: Request) -> Response:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "host_name"]
    response = await state.client.send(entry, "GET", path, params=dict(params))
    return Response(
        response.content,
        status_code=response.status_code,
        media_type=response.headers.get("content-type"),
    )


@router.post(
    "/library/reload",
    tags=["library"],
    response_model=LibrarySummary,
    responses=errors(*FORWARDED),
    operation_id="reload_library",
)
async def reload_library(state: ProxyStateDep, host_name: HostNameQuery) -> Response:
    """Have `host_name` read its definition library again; answers its counts and problems."""
    target = state.registry.route(host_name)
    response = await state.client.send(target, "POST", "/library/reload")
    return Response(response.content, media_type="application/json")


@router.get(
    "/library/{path:path}",
    tags=["library"],
    responses=errors(*FORWARDED),
    operation_id="get_library",
)
async def get_library(
    path: str, request: Request, state: ProxyStateDep, host_name: HostNameQuery
) -> Response:
    """A catalogue of `host_name`'s definition library: trees, testcases, campaigns, blocks."""
    target = state.registry.route(host_name)
    segments = path.strip("/").split("/") if path.strip("/") else []
    if any(not _SEGMENT.match(s) for s in segments):
        raise RequestInvalidError(
            f"invalid library path: {path!r}",
            details=[{"loc": ["path", "path"], "msg": "segments must be identifiers"}],
        )
    suffix = "".join(f"/{quote(s, safe='')}" for s in segments)
    return await relay_get(state, target, f"/library{suffix}", request)


@router.get(
    "/campaign/execution/{execution_id}/junit",
    tags=["campaign"],
    responses={200: {"content": {"application/xml": {}}}, **errors(*FORWARDED)},
    operation_id="get_campaign_junit",
)
async def get_junit(
    execution_id: IdPath, request: Request, state: ProxyStateDep, host_name: LabHostNameQuery = None
) -> Response:
    """The JUnit XML report of a campaign execution on `host_name` (or a lab one), for CI."""
    if host_name is None:
        row = await lab_views.dispatched(state, execution_id, 0)
        assert row.host_name is not None
        execution_id, host_name = str(row.host_execution_id), row.host_name
    target = state.registry.route(host_name)
    return await relay_get(state, target, f"/campaign/execution/{execution_id}/junit", request)
