"""Starts for any matching device: the proxy's request models, and their admission.

Every proxy start route accepts, instead of `host_name` + `device_id`, a
`device_selector`, with a `priority`, a `queue_timeout_s` and `retry_on_infra_failure`.
Such a start is queued in the lab store and answered 202 at once with a lab execution id.
"""

import hashlib
import itertools
import json
import time
from typing import Any, cast

from pydantic import Field, create_model

from proxy_service.errors import RequestInvalidError, field_error
from proxy_service.inventory import LabDevice, matches
from proxy_service.state import ProxyState
from schemas import ExecutionAccepted, ExecutionKind, ExecutionStatus
from schemas.base import Identifier, StartRequest
from schemas.kinds import KindRoute
from schemas.lab import LAB_FIELDS, DeviceSelector

QUEUE_TIMEOUT_S = 3600.0  # as long as a host lets an execution wait for its device
MAX_QUEUE_TIMEOUT_S = 7 * 86_400.0


def lab_model(route: KindRoute) -> type[StartRequest]:
    """The kind's request, with a device named by the host, or chosen by a selector."""
    base = route.request_model
    model = create_model(
        base.__name__,
        __base__=base,
        __doc__=base.__doc__,
        device_id=(
            Identifier | None,
            Field(default=None, description="The device that runs it; or `device_selector`."),
        ),
        device_selector=(
            DeviceSelector | None,
            Field(default=None, description="Any free device matching it, across the lab."),
        ),
        priority=(
            int,
            Field(default=0, ge=-1000, le=1000, description="Higher first; FIFO within one."),
        ),
        queue_timeout_s=(
            float | None,
            Field(
                default=None,
                gt=0,
                le=MAX_QUEUE_TIMEOUT_S,
                description="Longest wait in the lab queue (default 3600 s).",
            ),
        ),
        retry_on_infra_failure=(
            bool,
            Field(default=False, description="Ended in `error`: run once more on another device."),
        ),
        all_matching=(
            bool,
            Field(
                default=False,
                description="A matrix run: one execution on every device matching "
                "`device_selector`, summed in a parent execution.",
            ),
        ),
    )
    return cast(type[StartRequest], model)


def check_target(body: StartRequest) -> DeviceSelector | None:
    """The selector of a lab start, or None for a start on a named device (422 otherwise)."""
    selector: DeviceSelector | None = getattr(body, "device_selector", None)
    if selector is not None:
        named = [f for f in ("device_id", "host_name") if getattr(body, f) is not None]
        if named:
            raise RequestInvalidError(
                f"{named[0]} and device_selector exclude each other",
                details=[field_error([named[0]], "not with device_selector")],
            )
        return selector
    lab_only = [f for f in LAB_FIELDS if f in body.model_fields_set]
    if lab_only:
        raise RequestInvalidError(
            f"{lab_only[0]} is for starts with a device_selector",
            details=[field_error([lab_only[0]], "only with device_selector")],
        )
    if body.device_id is None:
        raise RequestInvalidError(
            "device_id (with host_name) or device_selector is required",
            details=[field_error(["device_id"], "required, or device_selector")],
        )
    return None


def host_body(body: StartRequest) -> dict[str, Any]:
    """What the host is sent (its device and host are added at dispatch)."""
    exclude = {*LAB_FIELDS, "device_id", "host_name"}
    return body.model_dump(mode="json", exclude_unset=True, exclude=exclude)


def accepted(kind: ExecutionKind, request_id: str, status: str) -> ExecutionAccepted:
    return ExecutionAccepted(
        execution_id=request_id,
        kind=kind,
        status=ExecutionStatus(status),
        status_url=f"/server/{kind.value}/execution/{request_id}/status",
        events_url=f"/server/executions/{request_id}/events",
    )


def matching(state: ProxyState, selector: DeviceSelector, every: bool = True) -> list[LabDevice]:
    """The known devices a selector matches (the first one only, unless `every`); 422
    naming it when there is none."""
    found = (d for d in state.lab_tier.inventory.devices() if matches(selector, d))
    some = list(found if every else itertools.islice(found, 1))
    if not some:
        shown = selector.model_dump(exclude_defaults=True)
        raise RequestInvalidError(
            f"no device of the lab matches device_selector {shown}",
            details=[field_error(["device_selector"], "matches no known device")],
        )
    return some


def fingerprint(path: str, sent: dict[str, Any], body: StartRequest) -> str:
    """What an Idempotency-Key is bound to: the host's request and the lab's own fields."""
    lab = body.model_dump(mode="json", include=set(LAB_FIELDS))
    return hashlib.sha256(json.dumps([path, sent, lab]).encode()).hexdigest()


def key_reused() -> RequestInvalidError:
    return RequestInvalidError(
        "Idempotency-Key was already used with another request body",
        details=[{"loc": ["header", "idempotency-key"], "msg": "used with another body"}],
    )


def request_values(
    request_id: str,
    route: KindRoute,
    path: str,
    sent: dict[str, Any],
    selector: DeviceSelector,
    body: StartRequest,
    now: float,
) -> dict[str, Any]:
    """A new lab request's row (its idempotency key and fingerprint still to be set)."""
    timeout_s: float = getattr(body, "queue_timeout_s", None) or QUEUE_TIMEOUT_S
    return {
        "id": request_id,
        "kind": route.kind.value,
        "path": path,
        "body": sent,
        "selector": selector.model_dump(mode="json"),
        "priority": getattr(body, "priority", 0),
        "host_name": None,
        "device_id": None,
        "created_at": now,
        "queue_deadline": now + timeout_s,
        "retry_on_infra_failure": getattr(body, "retry_on_infra_failure", False),
        "idempotency_key": None,
        "fingerprint": None,
    }


async def queue_start(
    state: ProxyState,
    route: KindRoute,
    path: str,
    body: StartRequest,
    selector: DeviceSelector,
    idempotency_key: str | None,
) -> tuple[int, ExecutionAccepted]:
    """Admit a lab start: 422 if no known device can ever match; `(status code, answer)`."""
    matching(state, selector, every=False)  # one will do: every start would walk the lab
    if idempotency_key is not None and await state.lab.matrix_key_used(idempotency_key):
        raise key_reused()  # by a matrix run
    sent = host_body(body)
    digest = fingerprint(path, sent, body)
    now = time.time()
    values = request_values(state.lab_tier.ids.new(), route, path, sent, selector, body, now)
    row = await state.lab.add_request(
        {**values, "idempotency_key": idempotency_key, "fingerprint": digest}
    )
    if row.fingerprint != digest:
        raise key_reused()
    repeat = row.created_at != now
    state.lab_tier.dispatcher.wake()
    return (200 if repeat else 202), accepted(route.kind, row.id, row.status)
