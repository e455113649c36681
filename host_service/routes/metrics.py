"""Prometheus metrics of the host, at /metrics beside /host."""

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from host_service.deps import HostStateDep

router = APIRouter(tags=["metrics"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}},
    operation_id="get_metrics",
)
async def metrics(state: HostStateDep) -> Response:
    """Executions started and finished, run times, device states and queues (Prometheus)."""
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
