"""The lab queue as a page of lab views: `GET /server/lab/queue` and the watch's `lab_queue`."""

from proxy_service.lab_views import own_model
from proxy_service.state import ProxyState
from schemas.lab_queue import LabQueuePage


async def queue_page(state: ProxyState, offset: int = 0, limit: int = 50) -> LabQueuePage:
    """Waiting requests in dispatch order, each with its `queue_position` (1 = next)."""
    rows, total = await state.lab.waiting(offset, limit)
    items = [own_model(row, offset + n + 1) for n, row in enumerate(rows)]
    return LabQueuePage(items=items, total=total)
