"""Start routes for every execution kind, generated from the executor map."""

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Request, Response, status

from host_service.deps import host_state
from host_service.engine.record import ExecutionRecord
from host_service.routes.responses import errors
from schemas import ExecutionAccepted, ExecutionKind
from schemas.kinds import KindRoute
from service_common.start_routes import follow_links, idempotency_key
from service_common.start_routes import start_router as shared_start_router


def accepted(record: ExecutionRecord, prefix: str) -> ExecutionAccepted:
    execution_id, kind = record.execution_id, record.kind.value
    return ExecutionAccepted(
        execution_id=execution_id,
        kind=record.kind,
        status=record.status,
        status_url=f"{prefix}/{kind}/execution/{execution_id}/status",
        events_url=f"{prefix}/executions/{execution_id}/events",
    )


def _endpoint(route: KindRoute) -> Any:
    model = route.request_model
    kind = route.kind

    async def start(
        request: Request,
        body: model,  # type: ignore[valid-type]  # the model is chosen per kind at import time
    ) -> Response:
        # The hot path of the host: the state and the header are read here rather than
        # solved as parameters by FastAPI, ~30 µs less per start (bench/README.md).
        state = host_state(request)
        path = {name: str(request.path_params[name]) for name in route.path_params}
        record, created = state.starts.start(kind, body, path, idempotency_key(request))
        answer = accepted(record, "/host")
        return Response(
            answer.model_dump_json(),
            status_code=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
            headers={"Location": answer.status_url, "Retry-After": "1"},
            media_type="application/json",
        )

    start.__doc__ = route.summary
    return start


def start_router(kinds: Iterable[ExecutionKind]) -> APIRouter:
    links = follow_links(
        {
            "status": "get_execution",
            "events": "get_execution_events",
            "cancel": "cancel_execution",
        }
    )
    return shared_start_router(kinds, _endpoint, errors(404, 413, 422), links=links)
