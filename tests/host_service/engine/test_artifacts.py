"""Screenshots as artifacts of an execution: which steps leave one, the caps, the files."""

import io
import shutil
from pathlib import Path
from typing import Any

from PIL import Image

from tests.conftest import LIBRARY, HostFactory, RunningHost, fake, simulated
from tests.helpers import finished, start

CHECKS = "/host/verification/executeBatch"
BATCH = "/host/action/executeBatch"


def check_text(text: str) -> dict[str, Any]:
    return {"type": "text", "command": "check_text", "params": {"text": text}}


# On the simulated TV's home screen: "Guide" is shown, "Nothing shows this" is not.
SHOWN, ABSENT = check_text("Guide"), check_text("Nothing shows this")


async def run(host: RunningHost, body: dict[str, Any], path: str = CHECKS) -> dict[str, Any]:
    return await finished(
        host.client, await start(host.client, path, {"device_id": "tv-1", **body})
    )


async def fetch(host: RunningHost, artifact: dict[str, Any]) -> bytes:
    response = await host.client.get(artifact["url"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == artifact["media_type"] == "image/png"
    assert len(response.content) == artifact["bytes"]
    return response.content


async def test_a_failed_step_leaves_a_screenshot_of_the_device(host: RunningHost) -> None:
    view = await run(host, {"verifications": [SHOWN, ABSENT], "pass_condition": "all"})
    assert view["status"] == "completed"
    assert view["result"]["success"] is False
    [artifact] = view["artifacts"]  # the failed step only: the default is on failure
    assert artifact["step_id"] == "verify-1"
    assert (
        artifact["url"] == f"/host/executions/{view['execution_id']}/artifacts/{artifact['name']}"
    )
    assert view["artifacts_dropped"] == 0
    image = Image.open(io.BytesIO(await fetch(host, artifact)))
    assert image.format == "PNG"
    assert image.size == (1280, 720)
    assert len(image.getcolors(maxcolors=1 << 16) or range(2)) > 1  # a screen, not a blank
    events = await host.client.get(
        f"/host/executions/{view['execution_id']}/events", headers={"accept": "application/json"}
    )
    told = [e for e in events.json()["events"] if e["type"] == "artifact"]
    assert [e["artifact"] for e in told] == [artifact]


async def test_capture_always_keeps_every_step_and_never_keeps_none(host: RunningHost) -> None:
    keys = [{"command": "press_key", "params": {"key": k}} for k in ("GUIDE", "BACK")]
    always = await run(host, {"actions": keys, "capture": "always"}, BATCH)
    assert always["result"]["success"] is True
    assert [a["step_id"] for a in always["artifacts"]] == ["main-0", "main-1"]
    guide, home = [await fetch(host, a) for a in always["artifacts"]]
    assert guide != home  # each shows the screen its step ended on
    never = await run(host, {"verifications": [ABSENT], "capture": "never"})
    assert never["result"]["success"] is False
    assert never["artifacts"] == []
    wrong = await host.client.post(
        CHECKS, json={"device_id": "tv-1", "verifications": [ABSENT], "capture": "sometimes"}
    )
    assert wrong.status_code == 422
    assert wrong.json()["details"][0]["loc"][-1] == "capture"


async def test_navigation_and_testcases_capture_their_steps(host_factory: HostFactory) -> None:
    async with host_factory([simulated("tv-1")], library_path=LIBRARY) as host:
        body = {"target_node_id": "guide", "capture": "always"}
        navigation = await run(host, body, "/host/navigation/execute/simtv")
        assert navigation["result"]["success"] is True
        assert [a["step_id"] for a in navigation["artifacts"]] == ["step-0"]
        body = {"testcase_id": "open_guide", "capture": "always"}
        testcase = await run(host, body, "/host/testcase/execute")
        assert [a["step_id"] for a in testcase["artifacts"]] == ["go_to_guide", "check_listings"]


async def test_devices_that_cannot_capture_keep_no_artifacts(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        body = {"device_id": "d1", "actions": [{"command": "fail"}], "capture": "always"}
        view = await finished(host.client, await start(host.client, BATCH, body))
        assert view["result"]["success"] is False
        assert view["artifacts"] == []


async def test_a_capture_that_fails_is_logged_and_changes_no_outcome(
    host_factory: HostFactory,
) -> None:
    # The box drops off after two calls: power off, a key it ignores, then the capture.
    tv = simulated("tv-1", faults={"disconnect_after_calls": 2})
    async with host_factory([tv]) as host:
        keys = [{"command": "power_off"}, {"command": "press_key", "params": {"key": "OK"}}]
        view = await run(host, {"actions": keys}, BATCH)
        assert view["status"] == "completed", view
        assert view["result"]["success"] is False
        assert view["artifacts"] == []
        logs = (await host.client.get(
            f"/host/executions/{view['execution_id']}", params={"include_logs": 1}
        )).json()["logs"]  # fmt: skip
        assert any("no screenshot of step main-1: device_disconnected" in line for line in logs)


async def test_over_the_count_cap_the_oldest_go(host_factory: HostFactory, tmp_path: Path) -> None:
    async with host_factory([simulated("tv-1")], max_artifacts=2) as host:
        view = await run(host, {"verifications": [ABSENT] * 4, "pass_condition": "any"})
        assert [a["step_id"] for a in view["artifacts"]] == ["verify-2", "verify-3"]
        assert view["artifacts_dropped"] == 2
        folder = tmp_path / "var" / "test-host.artifacts" / view["execution_id"]
        assert sorted(p.name for p in folder.iterdir()) == [a["name"] for a in view["artifacts"]]
        dropped = await host.client.get(
            f"/host/executions/{view['execution_id']}/artifacts/001-verify-0.png"
        )
        assert dropped.status_code == 404
        assert dropped.json()["error"] == "artifact_not_found"


async def test_over_the_bytes_cap_the_oldest_go(host_factory: HostFactory) -> None:
    async with host_factory([simulated("tv-1")]) as host:
        one = (await run(host, {"verifications": [ABSENT]}))["artifacts"][0]["bytes"]
    async with host_factory([simulated("tv-1")], max_artifact_bytes=one * 5 // 2) as host:
        view = await run(host, {"verifications": [ABSENT] * 3, "pass_condition": "any"})
        assert [a["step_id"] for a in view["artifacts"]] == ["verify-1", "verify-2"]
        assert view["artifacts_dropped"] == 1
    async with host_factory([simulated("tv-1")], max_artifact_bytes=one - 1) as host:
        view = await run(host, {"verifications": [ABSENT]})
        assert view["artifacts"] == []
        assert view["artifacts_dropped"] == 1  # too large to keep at all, and the view says so


async def test_a_screenshot_the_disk_refuses_is_logged_and_changes_no_outcome(
    host: RunningHost,
) -> None:
    root = host.state.artifacts.root
    shutil.rmtree(root)
    root.write_text("a file where the artifacts' folder should be")
    view = await run(host, {"verifications": [ABSENT]})
    assert view["status"] == "completed"
    assert view["result"]["success"] is False
    assert view["artifacts"] == []
    logs = (
        await host.client.get(
            f"/host/executions/{view['execution_id']}", params={"include_logs": 1}
        )
    ).json()["logs"]
    assert any("artifact 001-verify-0.png not kept" in line for line in logs), logs
