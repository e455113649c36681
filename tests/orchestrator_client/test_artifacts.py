"""The Python clients download an execution's artifacts through a real proxy."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from orchestrator_client import AsyncClient, Client, OrchestratorError
from orchestrator_client.artifacts import destination
from schemas import ArtifactView, VerificationBatchRequest
from tests.stack import Stack


def failing_check(stack: Stack, device_id: str) -> VerificationBatchRequest:
    check = {"type": "text", "command": "check_text", "params": {"text": "Nothing shows this"}}
    return VerificationBatchRequest.model_validate(
        {"host_name": stack.host_name, "device_id": device_id, "verifications": [check]}
    )


def test_the_sync_client_downloads_every_artifact(stack: Stack, tmp_path: Path) -> None:
    with Client(stack.proxy_url) as client:
        started = client.start(failing_check(stack, "tv-6"))
        view = client.wait(started.execution_id, stack.host_name)
        [artifact] = view.artifacts
        written = client.download_artifacts(started.execution_id, tmp_path / "out", stack.host_name)
        assert written == [tmp_path / "out" / artifact.name]
        assert written[0].read_bytes() == client.artifact(
            started.execution_id, artifact.name, stack.host_name
        )
        assert written[0].stat().st_size == artifact.bytes
        assert written[0].read_bytes().startswith(b"\x89PNG")
        assert [p.name for p in (tmp_path / "out").iterdir()] == [artifact.name]  # no leftovers
        with pytest.raises(OrchestratorError) as missing:
            client.artifact(started.execution_id, "009-nope.png", stack.host_name)
        assert missing.value.body.error == "artifact_not_found"


async def test_the_async_client_downloads_every_artifact(stack: Stack, tmp_path: Path) -> None:
    async with AsyncClient(stack.proxy_url) as client:
        started = await client.start(failing_check(stack, "tv-6"))
        view = await client.wait(started.execution_id, stack.host_name)
        [artifact] = view.artifacts
        written = await client.download_artifacts(started.execution_id, tmp_path, stack.host_name)
        assert written == [tmp_path / artifact.name]
        data = await client.artifact(started.execution_id, artifact.name, stack.host_name)
        assert written[0].read_bytes() == data
        assert len(data) == artifact.bytes


def test_a_name_that_would_leave_the_folder_is_never_written(tmp_path: Path) -> None:
    for name in ("../escape.png", "/etc/passwd", ".hidden", "a/b.png"):
        artifact = ArtifactView(
            name=name,
            step_id="main-0",
            media_type="image/png",
            bytes=1,
            created_at=datetime.now(UTC),
            url=f"/host/executions/x/artifacts/{name}",
        )
        with pytest.raises(ValueError, match="refusing"):
            destination(tmp_path, artifact)
