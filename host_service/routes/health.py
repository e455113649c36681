"""Health check: answers while every device is busy, since work runs in threads."""

from fastapi import APIRouter

from host_service.deps import HostStateDep
from schemas import HealthView

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthView, operation_id="get_health")
async def health(state: HostStateDep) -> HealthView:
    """Liveness of this host, with its device and active execution counts; `degraded` says why."""
    problem = None if state.journal is None else state.journal.problem()
    problems = [] if problem is None else [f"journal cannot be written: {problem}"]
    return HealthView(
        status="degraded" if problems else "ok",
        problems=problems,
        service="host",
        name=state.host_name,
        devices=len(state.devices),
        executions_active=len(state.registry.active()),
    )
