"""A matrix start: `device_selector` with `all_matching: true` queues one lab request per
device the selector matches (of the devices known at the start), each pinned to its device,
and answers 202 with the id of their parent."""

import time

from proxy_service.errors import RequestInvalidError, field_error
from proxy_service.lab.matrix_rows import Pin
from proxy_service.lab_starts import (
    accepted,
    fingerprint,
    host_body,
    key_reused,
    matching,
    request_values,
)
from proxy_service.matrix.sums import parent_status
from proxy_service.state import ProxyState
from schemas import ExecutionAccepted
from schemas.base import StartRequest
from schemas.kinds import KindRoute
from schemas.lab import DeviceSelector


def is_matrix(body: StartRequest) -> bool:
    return bool(getattr(body, "all_matching", False))


async def matrix_start(
    state: ProxyState,
    route: KindRoute,
    path: str,
    body: StartRequest,
    selector: DeviceSelector,
    idempotency_key: str | None,
) -> tuple[int, ExecutionAccepted]:
    """Admit a matrix run: 422 if no known device matches; `(status code, answer)`."""
    if getattr(body, "retry_on_infra_failure", False):
        raise RequestInvalidError(
            "retry_on_infra_failure does not go with all_matching: each child runs on its "
            "own device, there is no other one to retry on",
            details=[field_error(["retry_on_infra_failure"], "not with all_matching")],
        )
    devices = sorted(matching(state, selector), key=lambda d: d.key)
    sent = host_body(body)
    digest = fingerprint(path, sent, body)
    now = time.time()
    children: list[Pin] = [
        (
            d.host_name,
            d.device_id,
            request_values(
                state.lab_tier.ids.new(),
                route,
                path,
                sent,
                DeviceSelector(host_name=d.host_name, device_ids=[d.device_id]),
                body,
                now,
            ),
        )
        for d in devices
    ]
    parent = {
        "id": state.lab_tier.ids.new(),
        "kind": route.kind.value,
        "selector": selector.model_dump(mode="json"),
        "created_at": now,
        "idempotency_key": idempotency_key,
        "fingerprint": digest,
    }
    row = await state.lab.add_matrix(parent, children)
    if row is None or row.fingerprint != digest:  # None: a lab request has the key
        raise key_reused()
    state.lab_tier.dispatcher.wake()
    code = 200 if row.created_at != now else 202
    return code, accepted(route.kind, row.id, parent_status(row).value)
