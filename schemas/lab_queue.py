"""The lab queue as clients list it: `GET /server/lab/queue`, and the watch's `lab_queue`."""

from pydantic import Field

from schemas.base import ResponseModel
from schemas.execution import ExecutionView


class LabQueuePage(ResponseModel):
    """Lab requests waiting for a free matching device, in dispatch order."""

    items: list[ExecutionView] = Field(
        description="Each as its lab view (`execution_id` the lab's), with `queue_position`."
    )
    total: int = Field(ge=0, description="Requests waiting in all.")
