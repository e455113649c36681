"""Reports of finished executions for other tools: a campaign as JUnit XML."""

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
from schemas import ExecutionKind
from schemas.campaign import CampaignResult
from service_common.junit import RanOn, campaign_suite, report

router = APIRouter(tags=["campaign"])

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
    """The links to each step's artifacts (a campaign's steps are its items), by step id."""
    links: dict[str, list[str]] = {}
    quoted = quote(record.execution_id, safe="")
    for artifact in record.artifacts:
        link = template.format(execution_id=quoted, name=quote(artifact.name, safe=""))
        links.setdefault(artifact.step_id, []).append(link)
    return links


@router.get(
    "/campaign/execution/{execution_id}/junit",
    response_class=Response,
    responses={
        200: {"content": {"application/xml": {}}, "description": "JUnit XML report"},
        **errors(404, 409, 422),
    },
    operation_id="get_campaign_junit",
)
async def campaign_junit(
    execution_id: str,
    request: Request,
    state: HostStateDep,
    attachment_url: AttachmentUrlQuery = None,
) -> Response:
    """A campaign as a JUnit XML report, one testcase per item, with links to screenshots."""
    record = state.registry.get(execution_id)
    if record.kind is not ExecutionKind.campaign:
        raise NotFoundError(f"no campaign execution {execution_id!r}", code="execution_not_found")
    if attachment_url is not None and (problem := _template_problem(attachment_url)):
        raise RequestInvalidError(
            f"invalid attachment_url: {problem}",
            details=[{"loc": ["query", "attachment_url"], "msg": problem}],
        )
    if not isinstance(record.result, CampaignResult):
        raise ConflictError(
            f"campaign {execution_id} is {record.status.value}: it has no result to report",
            code="no_result",
            details={"status": record.status.value},
        )
    # Braces in the base (a root path may have them) are text, not fields of the template.
    base = str(request.base_url).rstrip("/").replace("{", "{{").replace("}", "}}")
    template = attachment_url or base + artifact_url("{execution_id}", "{name}")
    ran = RanOn(execution_id, record.host_name, record.device_id, record.started_at)
    suite = campaign_suite(record.result, ran, attachment_links(record, template))
    body = report(record.result.name, [suite])
    return Response(content=body, media_type="application/xml")
