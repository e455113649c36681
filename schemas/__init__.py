"""Wire models shared by the host service, the proxy service and the Python client.

Everything a client sends or receives is defined here, once. Requests forbid unknown
fields so that a typo in a payload is a 422 naming the field, never a silently
ignored option.
"""

from schemas.actions import (
    Action,
    ActionBatchRequest,
    ActionBatchResult,
    ActionCategory,
    ActionResult,
)
from schemas.artifacts import ArtifactView
from schemas.base import CapturePolicy
from schemas.blocks import (
    BlockCall,
    BlockOutputSpec,
    BlockResult,
    BlockView,
    StandardBlocksRequest,
    StandardBlocksResult,
)
from schemas.campaign import (
    CampaignDefinition,
    CampaignItem,
    CampaignItemResult,
    CampaignRequest,
    CampaignResult,
)
from schemas.devices import (
    CommandSpec,
    DeviceHold,
    DeviceState,
    DeviceView,
    ParamSpec,
    VerificationSpec,
)
from schemas.errors import ErrorBody
from schemas.events import (
    EXECUTION_EVENT,
    ArtifactEvent,
    EventType,
    ExecutionEvent,
    ExecutionEventPage,
    LogEvent,
    ProgressEvent,
    StatusEvent,
    StepFinishedEvent,
    StepStartedEvent,
    TruncatedEvent,
)
from schemas.execution import (
    ExecutionAccepted,
    ExecutionError,
    ExecutionKind,
    ExecutionPage,
    ExecutionResult,
    ExecutionStatus,
    ExecutionView,
    MatrixChild,
    StepState,
    StepView,
)
from schemas.health import HealthView
from schemas.hosts import (
    DeviceListing,
    ExecutionListing,
    HostDevice,
    HostDevices,
    HostExecutions,
    HostHeartbeat,
    HostRegistration,
    HostStatus,
    HostView,
)
from schemas.library import DefinitionSummary, LibraryProblem
from schemas.matrix import MatrixResult
from schemas.navigation import (
    NavEdge,
    NavigationRequest,
    NavigationResult,
    NavigationStep,
    NavigationTree,
    NavNode,
)
from schemas.testcase import TestcaseDefinition, TestcaseRequest, TestcaseResult
from schemas.verifications import (
    PassCondition,
    Verification,
    VerificationBatchRequest,
    VerificationBatchResult,
    VerificationResult,
)

__all__ = [
    "EXECUTION_EVENT",
    "Action",
    "ActionBatchRequest",
    "ActionBatchResult",
    "ActionCategory",
    "ActionResult",
    "ArtifactEvent",
    "ArtifactView",
    "BlockCall",
    "BlockOutputSpec",
    "BlockResult",
    "BlockView",
    "CampaignDefinition",
    "CampaignItem",
    "CampaignItemResult",
    "CampaignRequest",
    "CampaignResult",
    "CapturePolicy",
    "CommandSpec",
    "DefinitionSummary",
    "DeviceHold",
    "DeviceListing",
    "DeviceState",
    "DeviceView",
    "ErrorBody",
    "EventType",
    "ExecutionAccepted",
    "ExecutionError",
    "ExecutionEvent",
    "ExecutionEventPage",
    "ExecutionKind",
    "ExecutionListing",
    "ExecutionPage",
    "ExecutionResult",
    "ExecutionStatus",
    "ExecutionView",
    "HealthView",
    "HostDevice",
    "HostDevices",
    "HostExecutions",
    "HostHeartbeat",
    "HostRegistration",
    "HostStatus",
    "HostView",
    "LibraryProblem",
    "LogEvent",
    "MatrixChild",
    "MatrixResult",
    "NavEdge",
    "NavNode",
    "NavigationRequest",
    "NavigationResult",
    "NavigationStep",
    "NavigationTree",
    "ParamSpec",
    "PassCondition",
    "ProgressEvent",
    "StandardBlocksRequest",
    "StandardBlocksResult",
    "StatusEvent",
    "StepFinishedEvent",
    "StepStartedEvent",
    "StepState",
    "StepView",
    "TestcaseDefinition",
    "TestcaseRequest",
    "TestcaseResult",
    "TruncatedEvent",
    "Verification",
    "VerificationBatchRequest",
    "VerificationBatchResult",
    "VerificationResult",
    "VerificationSpec",
]
