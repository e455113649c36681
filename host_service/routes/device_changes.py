"""The devices' change feed: what moved past a cursor, long-polled (docs/dashboard.md)."""

import time
from typing import Annotated

from fastapi import APIRouter, Query, Response

from host_service.deps import HostStateDep
from host_service.routes.responses import errors
from schemas.device_changes import CURSOR_PATTERN, DeviceChanges
from service_common.stopping import StoppingDep

router = APIRouter(tags=["devices"])

AfterQuery = Annotated[
    str | None,
    Query(
        max_length=40,
        pattern=CURSOR_PATTERN,
        description="The `cursor` of the previous answer; without it, every device at once.",
    ),
]
ChangesWaitQuery = Annotated[
    float,
    Query(
        ge=0,
        le=60,
        description="Long-poll: answer when a device changes past `after`, or after this "
        "many seconds with `devices` empty.",
    ),
]


@router.get(
    "/devices/changes",
    response_model=DeviceChanges,
    responses=errors(422),
    operation_id="device_changes",
)
async def device_changes(
    state: HostStateDep, stopping: StoppingDep, after: AfterQuery = None, wait: ChangesWaitQuery = 0
) -> Response:
    """Devices whose state, queue or execution changed past `after`; `wait` long-polls."""
    changes = state.device_changes
    seq = changes.position(after)
    if seq is None:  # no cursor, or one of an earlier run of this host: a full reading
        now, _ = changes.since(0)
        ids, complete = state.devices.ids(), True
    else:
        give_up = time.monotonic() + wait
        while True:
            now, ids = changes.since(seq)
            remaining = give_up - time.monotonic()
            if ids or remaining <= 0 or stopping.begun:
                break
            await stopping.race(changes.wait(now, remaining))
        complete = False
    # The cursor is taken before the views are built: a change meanwhile comes again next time.
    answer = DeviceChanges(
        cursor=changes.cursor(now),
        complete=complete,
        devices=[state.device_views.get(device_id) for device_id in ids],
    )
    return Response(answer.model_dump_json(), media_type="application/json")
