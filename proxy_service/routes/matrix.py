"""Routes of matrix runs that no single execution has: a testcase matrix's JUnit report."""

from fastapi import APIRouter, Request, Response

from proxy_service import lab_executions
from proxy_service.deps import IdPath, ProxyStateDep
from proxy_service.lab_errors import NotInHistoryError
from proxy_service.routes.passthrough import artifact_link
from proxy_service.routes.responses import errors
from schemas import ExecutionKind

router = APIRouter()


@router.get(
    "/testcase/execution/{execution_id}/junit",
    tags=["testcase"],
    responses={200: {"content": {"application/xml": {}}}, **errors(404, 409, 422)},
    operation_id="get_testcase_junit",
)
async def get_testcase_junit(
    execution_id: IdPath, request: Request, state: ProxyStateDep
) -> Response:
    """A testcase matrix run's JUnit XML report: one testsuite per device, once it has ended."""
    report = await lab_executions.matrix_report(
        state, execution_id, ExecutionKind.testcase, artifact_link(request)
    )
    if report is None:
        raise NotInHistoryError(
            f"no matrix run {execution_id!r}: JUnit reports of testcases are made for matrix "
            "runs (all_matching); a campaign has its own at /campaign/execution/{id}/junit",
            details={"execution_id": execution_id},
        )
    return Response(report, media_type="application/xml")
