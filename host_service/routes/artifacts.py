"""An execution's artifacts (screenshots of its steps), served as files."""

import os
from collections.abc import AsyncIterator
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Path
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from host_service.deps import HostStateDep
from host_service.errors import NotFoundError
from host_service.routes.responses import errors
from schemas.artifacts import ARTIFACT_NAME_PATTERN
from service_common.event_stream import ARTIFACT_FILE

router = APIRouter(tags=["executions"])

CHUNK = 64 * 1024

ArtifactNamePath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=128,
        pattern=ARTIFACT_NAME_PATTERN,
        description="An artifact's `name`, as the execution's view lists it.",
    ),
]


@router.get(
    "/executions/{execution_id}/artifacts/{name}",
    response_class=StreamingResponse,
    responses={
        200: ARTIFACT_FILE,
        **errors(404, 422),
    },
    operation_id="get_artifact",
)
async def get_artifact(
    execution_id: str, name: ArtifactNamePath, state: HostStateDep
) -> StreamingResponse:
    """One artifact of an execution (a screenshot of a step), streamed with its media type."""
    record = state.registry.get(execution_id)
    artifact = next((a for a in record.artifacts if a.name == name), None)
    missing = NotFoundError(
        f"execution {execution_id} has no artifact {name!r}",
        code="artifact_not_found",
        details={"execution_id": execution_id, "name": name},
    )
    if artifact is None:
        raise missing
    try:  # the name comes from the record, never from the URL
        handle = state.artifacts.open(execution_id, artifact.name)
    except OSError:  # evicted just now
        raise missing from None
    size = os.fstat(handle.fileno()).st_size

    async def body() -> AsyncIterator[bytes]:
        try:
            while chunk := await anyio.to_thread.run_sync(handle.read, CHUNK):
                yield chunk
        finally:
            handle.close()

    return StreamingResponse(
        body(),
        media_type=artifact.media_type,
        headers={
            "Content-Length": str(size),
            "Content-Disposition": f'inline; filename="{artifact.name}"',
        },
        background=BackgroundTask(handle.close),  # also when the client left before the body
    )
