"""Reports of finished executions for other tools: a campaign or a testcase as JUnit XML."""

import string
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from host_service.deps import HostStateDep
from host_service.engine.artifact import artifact_url
from host_service.engine.record import ExecutionRecord
from host_service.errors import ConflictError, NotFoundError, RequestInvalidError
from host_service.routes.responses import errors
from host_service.state import HostState
from schemas import ExecutionKind
from schemas.campaign import CampaignResult
from service_common.junit import RanOn, campaign_suite, report
from service_common.junit_views import definition_of, links_by_step, view_suite

router = APIRouter()

_FIELDS = {"execution_id", "name"}

AttachmentUrlQuery = Annotated[
    str | None,
    Query(
        max_length=1000,
        description="Template of the screenshots' links, with `{execution_id}` and `{name}` "
        "(a proxy passes one through itself); default: this host's artifact URLs.",
    ),
]


def _template_problem(template: str) -> str | None:
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        return str(exc)
    if "name" not in fields or not fields <= _FIELDS:
        return "may use {execution_id} and must use {name}, nothing else"
    if not template.startswith(("http://", "https://", "/")):
        return "must be an http(s) URL or an absolute path"
    return None


def attachment_links(record: ExecutionRecord, template: str) -> dict[str, list[str]]:
    """The links to each step's artifacts, made from `template`, by step id."""
    quoted = quote(record.execution_id, safe="")
    return links_by_step(
        record.artifacts,
        lambda name: template.format(execution_id=quoted, name=quote(name, safe="")),
    )


def _reported(
    state: HostState, execution_id: str, kind: ExecutionKind, attachment_url: str | None
) -> ExecutionRecord:
    """The execution of `kind` to report (404 if it is none), its template checked (422)."""
    record = state.registry.get(execution_id)
    if record.kind is not kind:
        raise NotFoundError(
            f"no {kind.value} execution {execution_id!r}", code="execution_not_found"
        )
    if attachment_url is not None and (problem := _template_problem(attachment_url)):
        raise RequestInvalidError(
            f"invalid attachment_url: {problem}",
            details=[{"loc": ["query", "attachment_url"], "msg": problem}],
        )
    return record


def _ran(record: ExecutionRecord) -> RanOn:
    return RanOn(record.execution_id, record.host_name, record.device_id, record.started_at)


def _template(request: Request, attachment_url: str | None) -> str:
    # Braces in the base (a root path may have them) are text, not fields of the template.
    base = str(request.base_url).rstrip("/").replace("{", "{{").replace("}", "}}")
    return attachment_url or base + artifact_url("{execution_id}", "{name}")


def _xml(body: bytes) -> Response:
    return Response(content=body, media_type="application/xml")


_REPORT = {
    200: {"content": {"application/xml": {}}, "description": "JUnit XML report"},
    **errors(404, 409, 422),
}


@router.get(
    "/campaign/execution/{execution_id}/junit",
    tags=["campaign"],
    response_class=Response,
    responses=_REPORT,
    operation_id="get_campaign_junit",
)
async def campaign_junit(
    execution_id: str,
    request: Request,
    state: HostStateDep,
    attachment_url: AttachmentUrlQuery = None,
) -> Response:
    """A campaign as a JUnit XML report, one testcase per item, with links to screenshots."""
    record = _reported(state, execution_id, ExecutionKind.campaign, attachment_url)
    if not isinstance(record.result, CampaignResult):
        raise ConflictError(
            f"campaign {execution_id} is {record.status.value}: it has no result to report",
            code="no_result",
            details={"status": record.status.value},
        )
    ran = _ran(record)
    links = attachment_links(record, _template(request, attachment_url))
    return _xml(report(record.result.name, [campaign_suite(record.result, ran, links)]))


@router.get(
    "/testcase/execution/{execution_id}/junit",
    tags=["testcase"],
    response_class=Response,
    responses=_REPORT,
    operation_id="get_testcase_junit",
)
async def one_testcase_junit(
    execution_id: str,
    request: Request,
    state: HostStateDep,
    attachment_url: AttachmentUrlQuery = None,
) -> Response:
    """A testcase as a JUnit XML report once it ended: its nodes and links to screenshots."""
    record = _reported(state, execution_id, ExecutionKind.testcase, attachment_url)
    if not record.status.terminal:
        raise ConflictError(
            f"testcase {execution_id} is {record.status.value}: its report is made once it ended",
            code="not_finished",
            details={"status": record.status.value},
        )
    view = state.registry.view(execution_id)
    definition = definition_of(ExecutionKind.testcase, record.request.get("body", {}))
    links = attachment_links(record, _template(request, attachment_url))
    suite = view_suite(view, definition, _ran(record), links)
    return _xml(report(str(suite.get("name")), [suite]))
