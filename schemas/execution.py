"""The execution lifecycle as clients see it, for every kind."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field

from schemas.actions import ActionBatchResult
from schemas.artifacts import ArtifactView
from schemas.base import ResponseModel
from schemas.blocks import StandardBlocksResult
from schemas.campaign import CampaignResult
from schemas.matrix import MatrixResult
from schemas.navigation import NavigationResult
from schemas.testcase import TestcaseResult
from schemas.verifications import VerificationBatchResult


class ExecutionKind(StrEnum):
    action = "action"
    verification = "verification"
    navigation = "navigation"
    block = "block"
    testcase = "testcase"
    campaign = "campaign"


class ExecutionStatus(StrEnum):
    queued = "queued"  # accepted, waiting for its device
    running = "running"  # driving the device
    completed = "completed"  # ran to the end; result.success says whether the test passed
    error = "error"  # could not run properly: driver fault, bad definition, crash
    cancelled = "cancelled"  # stopped by a cancel request
    timed_out = "timed_out"  # stopped by its deadline (or its queue wait limit)
    interrupted = "interrupted"  # the host stopped while it was queued or running

    @property
    def terminal(self) -> bool:
        return self not in (ExecutionStatus.queued, ExecutionStatus.running)


class ExecutionError(ResponseModel):
    code: str
    message: str
    details: Any = None


class StepState(StrEnum):
    pending = "pending"  # declared, not started yet
    running = "running"  # driving the device now
    passed = "passed"
    failed = "failed"
    skipped = "skipped"  # never started: the run ended before it, or did not need it
    cancelled = "cancelled"  # was running when the execution stopped (cancel, deadline, ...)


class StepView(ResponseModel):
    """A live step of an execution (an action, a verification, a navigation edge, a block)."""

    id: str
    label: str
    state: StepState = StepState.pending
    duration_ms: float | None = None
    message: str = ""


class MatrixChild(ResponseModel):
    """One execution of a matrix run: a lab execution pinned to one device."""

    execution_id: str = Field(description="Its lab id: follow, cancel or report it alone.")
    host_name: str
    device_id: str
    status: ExecutionStatus
    progress: int = Field(ge=0, le=100)
    success: bool | None = Field(default=None, description="`result.success` once completed.")


ExecutionResult = Annotated[
    ActionBatchResult
    | VerificationBatchResult
    | StandardBlocksResult
    | NavigationResult
    | TestcaseResult
    | CampaignResult
    | MatrixResult,
    Field(discriminator="kind"),
]


class ExecutionView(ResponseModel):
    execution_id: str
    kind: ExecutionKind
    host_name: str
    device_id: str
    status: ExecutionStatus
    progress: int = Field(ge=0, le=100)
    message: str = ""
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    elapsed_ms: float | None = None
    queue_position: int | None = None
    result: ExecutionResult | None = None
    error: ExecutionError | None = None
    steps: list[StepView] = Field(default_factory=list)
    current_step_id: str | None = None
    artifacts: list[ArtifactView] = Field(
        default_factory=list, description="Evidence kept of this execution, oldest first."
    )
    artifacts_dropped: int = Field(
        default=0,
        ge=0,
        description="Artifacts not kept: over the host's cap per execution, the oldest go.",
    )
    logs: list[str] | None = Field(
        default=None, description="Captured log lines, when asked for with `include_logs`."
    )
    children: list[MatrixChild] | None = Field(
        default=None,
        description="A matrix run's executions, one per device (`all_matching`); null otherwise.",
    )


class ExecutionAccepted(ResponseModel):
    execution_id: str
    kind: ExecutionKind
    status: ExecutionStatus
    status_url: str
    events_url: str


class ExecutionPage(ResponseModel):
    items: list[ExecutionView]
    total: int
    offset: int
    limit: int
