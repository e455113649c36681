"""Prometheus metrics of the proxy, at /metrics beside /server."""

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from proxy_service.deps import ProxyStateDep

router = APIRouter(tags=["metrics"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}},
    operation_id="get_proxy_metrics",
)
async def metrics(state: ProxyStateDep) -> Response:
    """Calls to hosts by host and outcome, their latency, and each host's status (Prometheus)."""
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
