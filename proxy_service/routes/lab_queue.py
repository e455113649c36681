"""The lab queue: requests started with a device selector that wait for a device."""

from typing import Annotated

from fastapi import APIRouter, Query

from proxy_service.deps import ProxyStateDep
from proxy_service.lab_queue import queue_page
from proxy_service.routes.responses import errors
from schemas.lab_queue import LabQueuePage

router = APIRouter(tags=["lab"])


@router.get(
    "/lab/queue", response_model=LabQueuePage, responses=errors(422), operation_id="lab_queue"
)
async def lab_queue(
    state: ProxyStateDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> LabQueuePage:
    """Lab requests waiting for a free matching device, in dispatch order, with positions."""
    return await queue_page(state, offset, limit)
