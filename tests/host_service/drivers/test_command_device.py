"""A device driven by the command driver, through the API: validation, results, kills."""

import asyncio
import sys
from pathlib import Path
from typing import Any

from tests.conftest import HostFactory
from tests.helpers import finished, start, wait_status
from tests.host_service.drivers.process_tree import (
    ECHO_ARGV,
    ends,
    make_fifo,
    read_pids,
    tree_command,
)

BATCH = "/host/action/executeBatch"
VERIFY = "/host/verification/executeBatch"


def command_device(device_id: str, fifo: Path) -> dict[str, Any]:
    settings = {
        "variables": {"serial": "emulator-5554"},
        "commands": {
            "echo": {
                "argv": [sys.executable, "-c", ECHO_ARGV, "-s", "{serial}", "{text}"],
                "params": [{"name": "text"}],
                "description": "Print the argv it got.",
            },
            "tree": tree_command(fifo),
            "ghost": {"argv": ["no-such-program-for-tests"]},
        },
        "verifications": [
            {
                "type": "text",
                "command": "echo_shows",
                "argv": [sys.executable, "-c", "print('Now playing: News 24')"],
                "pattern": "Now playing: {title}",
                "params": [{"name": "title"}],
            }
        ],
    }
    return {
        "id": device_id,
        "name": "ADB box",
        "model": "cmd",
        "driver": "command",
        "settings": settings,
    }


async def test_actions_and_verifications_run_real_programs(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    async with host_factory([command_device("box", make_fifo(tmp_path))]) as host:
        body = {
            "device_id": "box",
            "actions": [{"command": "echo", "params": {"text": "a; b $(c)"}}],
        }
        view = await finished(host.client, await start(host.client, BATCH, body))
        assert view["result"]["success"] is True
        assert view["result"]["output_data"]["stdout"] == '["-s", "emulator-5554", "a; b $(c)"]'

        checks = {
            "device_id": "box",
            "verifications": [
                {"type": "text", "command": "echo_shows", "params": {"title": "News 24"}},
                {"type": "text", "command": "echo_shows", "params": {"title": "Sports"}},
            ],
            "pass_condition": "any",
        }
        view = await finished(host.client, await start(host.client, VERIFY, checks))
        assert view["result"]["success"] is True
        assert [r["success"] for r in view["result"]["results"]] == [True, False]
        assert "News 24" in view["result"]["results"][1]["observed"]


async def test_the_device_declares_its_commands_and_refuses_option_like_values(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    async with host_factory([command_device("box", make_fifo(tmp_path))]) as host:
        device = (await host.client.get("/host/devices/box")).json()
        assert {c["command"] for c in device["commands"]} == {"echo", "tree", "ghost"}
        assert device["verifications"][0]["params"][0]["name"] == "title"
        body = {"device_id": "box", "actions": [{"command": "echo", "params": {"text": "-rf"}}]}
        response = await host.client.post(BATCH, json=body)
        assert response.status_code == 422
        assert response.json()["details"][0]["loc"] == ["body", "actions", 0, "params", "text"]


async def test_a_missing_program_ends_the_execution_in_error(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    async with host_factory([command_device("box", make_fifo(tmp_path))]) as host:
        body = {"device_id": "box", "actions": [{"command": "ghost"}]}
        view = await finished(host.client, await start(host.client, BATCH, body))
        assert view["status"] == "error"
        assert view["error"]["code"] == "command_not_found"


async def test_cancel_kills_the_running_program_and_its_children(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    fifo = make_fifo(tmp_path)
    async with host_factory([command_device("box", fifo)]) as host:
        body = {"device_id": "box", "actions": [{"command": "tree"}]}
        execution_id = await start(host.client, BATCH, body)
        pids = await asyncio.to_thread(read_pids, fifo)
        await host.client.post(f"/host/executions/{execution_id}/cancel")
        view = await finished(host.client, execution_id, seconds=5)
        assert view["status"] == "cancelled"
        assert all(await asyncio.gather(*(asyncio.to_thread(ends, pid) for pid in pids)))
        device = (await host.client.get("/host/devices/box")).json()
        assert device["state"] == "idle"


async def test_the_deadline_kills_the_running_program(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    fifo = make_fifo(tmp_path)
    async with host_factory([command_device("box", fifo)]) as host:
        body = {"device_id": "box", "timeout_s": 2, "actions": [{"command": "tree"}]}
        execution_id = await start(host.client, BATCH, body)
        await wait_status(host.client, execution_id, {"running"})
        pids = await asyncio.to_thread(read_pids, fifo)
        view = await finished(host.client, execution_id, seconds=5)
        assert view["status"] == "timed_out"
        assert all(await asyncio.gather(*(asyncio.to_thread(ends, pid) for pid in pids)))
