"""Service logs as JSON lines, each with the execution_id of the execution it belongs to."""

import json
from pathlib import Path

import httpx

from tests.helpers import start, wait_status
from tests.host_service.host_process import host_process
from tests.processes import free_port

BATCH = "/host/action/executeBatch"


async def test_json_service_logs_carry_the_execution_id(tmp_path: Path) -> None:
    with host_process(tmp_path, HOST_LOG_FORMAT="json") as host:
        async with httpx.AsyncClient(base_url=host.url, timeout=30) as client:
            execution_id = await start(
                client,
                BATCH,
                {
                    "device_id": "tv-1",
                    "actions": [{"command": "press_key", "params": {"key": "HOME"}}],
                },
            )
            await wait_status(client, execution_id, {"completed"})
    lines = [json.loads(line) for line in host.log.read_text().splitlines()]
    assert all({"time", "level", "logger", "message", "execution_id"} <= set(x) for x in lines)
    mine = [line["message"] for line in lines if line["execution_id"] == execution_id]
    assert any("started on tv-1" in message for message in mine)
    assert any("main press_key passed" in message for message in mine)
    assert any(line["logger"] == "uvicorn.access" for line in lines)
    assert not any("color_message" in line for line in lines)


async def test_log_level_quiets_the_service_log_not_the_executions_own(tmp_path: Path) -> None:
    with host_process(tmp_path, args=("--log-level", "warning"), HOST_LOG_FORMAT="json") as host:
        async with httpx.AsyncClient(base_url=host.url, timeout=30) as client:
            press = {"command": "press_key", "params": {"key": "HOME"}}
            execution_id = await start(client, BATCH, {"device_id": "tv-1", "actions": [press]})
            await wait_status(client, execution_id, {"completed"})
            view = (await client.get(f"/host/executions/{execution_id}?include_logs=1")).json()
    assert any("started on tv-1" in line for line in view["logs"])
    lines = [json.loads(line) for line in host.log.read_text().splitlines() if line.strip()]
    assert [line for line in lines if line["level"] in ("DEBUG", "INFO")] == []


async def test_json_logs_cover_the_announcer(tmp_path: Path) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"  # a proxy that is not there
    with host_process(
        tmp_path, HOST_LOG_FORMAT="json", HOST_PROXY_URL=nobody, HOST_HEARTBEAT_INTERVAL_S="60"
    ):
        pass
    lines = [json.loads(line) for line in tmp_path.joinpath("host.log").read_text().splitlines()]
    announcer = [line for line in lines if line["logger"].endswith("announcer")]
    assert any("cannot reach proxy" in line["message"] for line in announcer)
