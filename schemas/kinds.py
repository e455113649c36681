"""How each execution kind is started: its request model and path.

Host and proxy both generate their start routes from this one map, so a new
kind is added here and in the host's executor map, and no route code changes.
"""

from dataclasses import dataclass

from schemas.actions import ActionBatchRequest
from schemas.base import StartRequest
from schemas.blocks import StandardBlocksRequest
from schemas.campaign import CampaignRequest
from schemas.execution import ExecutionKind
from schemas.navigation import NavigationRequest
from schemas.testcase import TestcaseRequest
from schemas.verifications import VerificationBatchRequest


@dataclass(frozen=True)
class KindRoute:
    kind: ExecutionKind
    start_path: str  # below the service prefix (/host or /server)
    request_model: type[StartRequest]
    summary: str
    path_params: tuple[str, ...] = ()


START_ROUTES: dict[ExecutionKind, KindRoute] = {
    route.kind: route
    for route in [
        KindRoute(
            ExecutionKind.action,
            "/action/executeBatch",
            ActionBatchRequest,
            "Start an action batch on a device; answers at once with its execution_id.",
        ),
        KindRoute(
            ExecutionKind.verification,
            "/verification/executeBatch",
            VerificationBatchRequest,
            "Start a verification batch on a device; answers at once with its execution_id.",
        ),
        KindRoute(
            ExecutionKind.block,
            "/builder/execute",
            StandardBlocksRequest,
            "Run a list of standard blocks on a device; answers at once with its execution_id.",
        ),
        KindRoute(
            ExecutionKind.navigation,
            "/navigation/execute/{tree_id}",
            NavigationRequest,
            "Navigate a device to a node of a library tree; answers at once with its execution_id.",
            path_params=("tree_id",),
        ),
        KindRoute(
            ExecutionKind.testcase,
            "/testcase/execute",
            TestcaseRequest,
            "Run a testcase graph (by id or inline) on a device; answers at once.",
        ),
        KindRoute(
            ExecutionKind.campaign,
            "/campaign/execute",
            CampaignRequest,
            "Run a campaign of testcases on one device; answers at once with its execution_id.",
        ),
    ]
}

# The kinds with a JUnit report (`GET /{kind}/execution/{id}/junit`), and the field of
# their start request that names what they run.
REPORTED: dict[ExecutionKind, str] = {
    ExecutionKind.campaign: "campaign_id",
    ExecutionKind.testcase: "testcase_id",
}
