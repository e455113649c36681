"""Service logs as JSON lines, each with the execution_id of the execution it belongs to."""

import json
from pathlib import Path

import httpx

from tests.helpers import start, wait_status
from tests.host_service.host_process import host_process

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
