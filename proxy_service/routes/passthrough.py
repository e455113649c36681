"""Routes relayed as the host answers them: library catalogues and reload, JUnit reports."""

import json
import re
from collections.abc import Callable
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Request, Response

from proxy_service import lab_executions
from proxy_service.deps import HostNameQuery, IdPath, LabHostNameQuery, ProxyStateDep
from proxy_service.errors import BadHostAnswerError, RequestInvalidError
from proxy_service.hosts import HostEntry
from proxy_service.routes.responses import FORWARDED, errors
from proxy_service.state import ProxyState
from schemas import ExecutionKind
from schemas.base import IDENTIFIER_PATTERN
from schemas.library import LibrarySummary

router = APIRouter()
_SEGMENT = re.compile(IDENTIFIER_PATTERN)


def readable(entry: HostEntry, response: httpx.Response) -> None:
    """A relayed answer is at least what it says it is: JSON, or UTF-8 text (JUnit XML)."""
    try:
        if "json" in response.headers.get("content-type", ""):
            json.loads(response.content)
        else:
            response.content.decode("utf-8")
    except (ValueError, RecursionError) as exc:
        raise BadHostAnswerError(
            f"host {entry.name!r} answered something that is not readable JSON or text",
            details={"host_name": entry.name},
        ) from exc


def artifact_link(request: Request) -> Callable[[str, str], str]:
    """Links to a lab execution's artifacts through this proxy: (lab id, name) -> URL."""
    return lambda execution_id, name: str(
        request.url_for("get_artifact", execution_id=execution_id, name=name)
    )


async def relay_get(
    state: ProxyState,
    entry: HostEntry,
    path: str,
    request: Request,
    extra: dict[str, str] | None = None,
) -> Response:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "host_name"]
    response = await state.client.send(entry, "GET", path, params={**dict(params), **(extra or {})})
    readable(entry, response)
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
    readable(target, response)
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


def junit_route(kind: ExecutionKind, summary: str) -> None:
    """`GET /{kind}/execution/{id}/junit`: a campaign's or a testcase's JUnit report, on
    `host_name`, by lab id, or of a matrix run (a suite per device, from the store)."""

    async def get_junit(
        execution_id: IdPath,
        request: Request,
        state: ProxyStateDep,
        host_name: LabHostNameQuery = None,
    ) -> Response:
        if host_name is None:
            matrix = await lab_executions.matrix_report(
                state, execution_id, kind, artifact_link(request)
            )
            if matrix is not None:
                return Response(matrix, media_type="application/xml")
        # The links name the execution as the request did: by lab id, or by host and id.
        link = str(request.url_for("get_artifact", execution_id=execution_id, name="NAME"))
        template = link.replace("{", "{{").replace("}", "}}").removesuffix("/NAME") + "/{name}"
        if host_name is None:
            row = await lab_executions.dispatched(state, execution_id, 0)
            assert row.host_name is not None
            execution_id, host_name = str(row.host_execution_id), row.host_name
        else:
            template += f"?host_name={quote(host_name, safe='')}"
        target = state.registry.route(host_name)
        path = f"/{kind.value}/execution/{execution_id}/junit"
        return await relay_get(state, target, path, request, {"attachment_url": template})

    get_junit.__doc__ = summary
    get_junit.__name__ = f"get_{kind.value}_junit"  # its summary in the OpenAPI document
    router.get(
        f"/{kind.value}/execution/{{execution_id}}/junit",
        tags=[kind.value],
        responses={200: {"content": {"application/xml": {}}}, **errors(*FORWARDED)},
        operation_id=f"get_{kind.value}_junit",
    )(get_junit)


junit_route(
    ExecutionKind.campaign,
    "A campaign's JUnit XML report (on `host_name`, lab, or a matrix run: a suite per device).",
)
junit_route(
    ExecutionKind.testcase,
    "A testcase's JUnit XML report once it ended (on `host_name`, lab, or a matrix run: a "
    "suite per device).",
)
