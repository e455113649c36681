"""Health check of the proxy itself; open without an API key, for load balancers."""

from fastapi import APIRouter

from proxy_service.deps import ProxyStateDep
from schemas import HealthView

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthView, operation_id="get_proxy_health")
async def health(state: ProxyStateDep) -> HealthView:
    """Liveness of the proxy, with the number of devices its hosts announced."""
    return HealthView(
        service="proxy",
        name="proxy",
        devices=sum(len(entry.devices) for entry in state.registry),
    )
