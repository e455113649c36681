"""GET /host/executions/{id}/artifacts/{name}: the file, or an error naming what is wrong."""

import pytest

from tests.conftest import RunningHost
from tests.helpers import finished, start

ABSENT = {"type": "text", "command": "check_text", "params": {"text": "Nothing shows this"}}


async def failed_execution(host: RunningHost) -> str:
    body = {"device_id": "tv-1", "verifications": [ABSENT]}
    return await start(host.client, "/host/verification/executeBatch", body)


async def test_the_file_streams_with_its_media_type_and_length(host: RunningHost) -> None:
    view = await finished(host.client, await failed_execution(host))
    [artifact] = view["artifacts"]
    async with host.client.stream("GET", artifact["url"]) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert int(response.headers["content-length"]) == artifact["bytes"]
        assert artifact["name"] in response.headers["content-disposition"]
        body = b"".join([chunk async for chunk in response.aiter_bytes()])
    assert body.startswith(b"\x89PNG\r\n\x1a\n")


async def test_unknown_execution_or_artifact_is_a_404_naming_it(host: RunningHost) -> None:
    execution_id = await failed_execution(host)
    await finished(host.client, execution_id)
    unknown = await host.client.get("/host/executions/nope/artifacts/001-verify-0.png")
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "execution_not_found"
    assert "nope" in unknown.json()["message"]
    missing = await host.client.get(f"/host/executions/{execution_id}/artifacts/009-other.png")
    assert missing.status_code == 404
    assert missing.json()["error"] == "artifact_not_found"
    assert "009-other.png" in missing.json()["message"]
    assert missing.json()["details"] == {"execution_id": execution_id, "name": "009-other.png"}


@pytest.mark.parametrize(
    "name",
    [".hidden.png", "-x.png", "a" * 129, "a%00b", "%2e%2e"],  # ".." alone: the client resolves it
)
async def test_names_that_are_not_one_plain_segment_are_refused(
    host: RunningHost, name: str
) -> None:
    execution_id = await failed_execution(host)
    await finished(host.client, execution_id)
    response = await host.client.get(f"/host/executions/{execution_id}/artifacts/{name}")
    assert response.status_code == 422, response.text
    assert response.json()["details"][0]["loc"] == ["path", "name"]


@pytest.mark.parametrize(
    "path", ["../../host.yaml", "..%2F..%2Fhost.yaml", "%2e%2e/%2e%2e/host.yaml"]
)
async def test_no_path_leaves_the_artifacts_folder(host: RunningHost, path: str) -> None:
    execution_id = await failed_execution(host)
    await finished(host.client, execution_id)
    response = await host.client.get(f"/host/executions/{execution_id}/artifacts/{path}")
    assert response.status_code in (404, 422), response.text
    assert "host_name" not in response.text  # not the host's config file
