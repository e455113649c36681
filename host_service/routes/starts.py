"""Start routes for every execution kind, generated from the executor map."""

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Request, Response, status

from host_service.errors import RequestInvalidError, field_error
from host_service.kinds import Executor
from host_service.routes.responses import errors
from host_service.state import HostState
from schemas import ExecutionAccepted, ExecutionKind
from schemas.base import StartRequest
from schemas.kinds import KindRoute
from service_common.start_routes import idempotency_key
from service_common.start_routes import start_router as shared_start_router


def accepted(state: HostState, execution_id: str, prefix: str) -> ExecutionAccepted:
    record = state.registry.get(execution_id)
    kind = record.kind.value
    return ExecutionAccepted(
        execution_id=execution_id,
        kind=record.kind,
        status=record.status,
        status_url=f"{prefix}/{kind}/execution/{execution_id}/status",
        events_url=f"{prefix}/executions/{execution_id}/events",
    )


def _fingerprint(kind: str, body: dict[str, Any], path: dict[str, str]) -> str:
    canonical = json.dumps([kind, body, path], sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def start_execution(
    state: HostState,
    executor: Executor[Any, Any],
    body: StartRequest,
    path: dict[str, str],
    idempotency_key: str | None,
    prefix: str,
) -> tuple[ExecutionAccepted, bool]:
    """Validate the whole request, then create the execution; `(answer, created)`."""
    dumped = body.model_dump(mode="json")
    if idempotency_key is not None:
        fingerprint = _fingerprint(executor.kind.value, dumped, path)
        known = state.registry.idempotent(idempotency_key)
        if known is not None:
            if known[0] != fingerprint:
                raise RequestInvalidError(
                    "Idempotency-Key was already used with another request body",
                    code="idempotency_key_reused",
                    details=[
                        {"loc": ["header", "Idempotency-Key"], "msg": "reused with another body"}
                    ],
                )
            return accepted(state, known[1], prefix), False
    if body.host_name is not None and body.host_name != state.host_name:
        raise RequestInvalidError(
            f"host_name {body.host_name!r} is not this host ({state.host_name})",
            details=[field_error(["host_name"], "does not match this host")],
        )
    timeout_s = body.timeout_s or executor.default_timeout_s
    if timeout_s > executor.max_timeout_s:
        raise RequestInvalidError(
            f"timeout_s may be at most {executor.max_timeout_s:g} for {executor.kind.value}",
            details=[field_error(["timeout_s"], f"at most {executor.max_timeout_s:g}")],
        )
    device = state.devices.get(body.device_id)
    plan = executor.prepare(body, device, path)
    request = {"body": dumped, "path": path}
    idempotency = None if idempotency_key is None else (idempotency_key, fingerprint)
    record = state.orchestrator.submit(executor, request, device.id, plan, timeout_s, idempotency)
    return accepted(state, record.execution_id, prefix), True


def _endpoint(route: KindRoute) -> Any:
    model = route.request_model
    kind = route.kind

    async def start(
        request: Request,
        body: model,  # type: ignore[valid-type]  # the model is chosen per kind at import time
    ) -> Response:
        # The hot path of the host: the state and the header are read here rather than
        # solved as parameters by FastAPI, ~30 µs less per start (bench/README.md).
        state: HostState = request.state.host
        path = {name: str(request.path_params[name]) for name in route.path_params}
        answer, created = start_execution(
            state, state.executors[kind], body, path, idempotency_key(request), "/host"
        )
        return Response(
            answer.model_dump_json(),
            status_code=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
            headers={"Location": answer.status_url, "Retry-After": "1"},
            media_type="application/json",
        )

    start.__doc__ = route.summary
    return start


def start_router(kinds: Iterable[ExecutionKind]) -> APIRouter:
    return shared_start_router(kinds, _endpoint, errors(404, 413, 422))
