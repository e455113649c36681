"""Executors by kind. Adding a kind here adds its routes; no route code changes."""

from typing import Any

from host_service.kinds.action.executor import ActionBatchExecutor
from host_service.kinds.base import Executor, ExecutorEnv, Job
from host_service.kinds.block.executor import BlockExecutor
from host_service.kinds.campaign.executor import CampaignExecutor
from host_service.kinds.navigation.executor import NavigationExecutor
from host_service.kinds.testcase.executor import TestcaseExecutor
from host_service.kinds.verification.executor import VerificationBatchExecutor
from schemas import ExecutionKind

EXECUTOR_TYPES: dict[ExecutionKind, type[Executor[Any, Any]]] = {
    ExecutionKind.action: ActionBatchExecutor,
    ExecutionKind.verification: VerificationBatchExecutor,
    ExecutionKind.block: BlockExecutor,
    ExecutionKind.navigation: NavigationExecutor,
    ExecutionKind.testcase: TestcaseExecutor,
    ExecutionKind.campaign: CampaignExecutor,
}


def build_executors(env: ExecutorEnv) -> dict[ExecutionKind, Executor[Any, Any]]:
    executors = {kind: cls(env) for kind, cls in EXECUTOR_TYPES.items()}
    env.executors.update(executors)
    return executors


__all__ = ["EXECUTOR_TYPES", "Executor", "ExecutorEnv", "Job", "build_executors"]
