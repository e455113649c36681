"""Reports of finished executions for other tools: a campaign as JUnit XML."""

from fastapi import APIRouter
from fastapi.responses import Response

from host_service.deps import HostStateDep
from host_service.errors import ConflictError, NotFoundError
from host_service.kinds.campaign.junit import junit_xml
from host_service.routes.responses import errors
from schemas import ExecutionKind
from schemas.campaign import CampaignResult

router = APIRouter(tags=["campaign"])


@router.get(
    "/campaign/execution/{execution_id}/junit",
    response_class=Response,
    responses={
        200: {"content": {"application/xml": {}}, "description": "JUnit XML report"},
        **errors(404, 409, 422),
    },
    operation_id="get_campaign_junit",
)
async def campaign_junit(execution_id: str, state: HostStateDep) -> Response:
    """A campaign as a JUnit XML report, one testcase per item; a stopped one keeps its items."""
    record = state.registry.get(execution_id)
    if record.kind is not ExecutionKind.campaign:
        raise NotFoundError(f"no campaign execution {execution_id!r}", code="execution_not_found")
    if not isinstance(record.result, CampaignResult):
        raise ConflictError(
            f"campaign {execution_id} is {record.status.value}: it has no result to report",
            code="no_result",
            details={"status": record.status.value},
        )
    body = junit_xml(
        record.result, execution_id, record.host_name, record.device_id, record.started_at
    )
    return Response(content=body, media_type="application/xml")
