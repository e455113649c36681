"""Command-driver params that try to inject arguments or commands, through the host API."""

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HostFactory
from tests.helpers import finished, start
from tests.host_service.drivers.process_tree import ECHO_ARGV

BATCH = "/host/action/executeBatch"


def box(marker: Path) -> dict[str, Any]:
    """A device whose `say` runs a program that prints the arguments it was given; `join`
    prints one argument made of two params."""
    say = {"argv": [sys.executable, "-c", ECHO_ARGV, "{text}"], "params": [{"name": "text"}]}
    join = {
        "argv": [sys.executable, "-c", ECHO_ARGV, "{a}{b}"],
        "params": [{"name": "a"}, {"name": "b"}],
    }
    return {
        "id": "box",
        "name": "Box",
        "model": "cmd",
        "driver": "command",
        "settings": {
            "commands": {"say": say, "join": join},
            "variables": {"marker": str(marker)},
        },
    }


def say(text: Any, **params: Any) -> dict[str, Any]:
    return {"device_id": "box", "actions": [{"command": "say", "params": {"text": text, **params}}]}


def payloads(marker: Path) -> list[str]:
    return [
        f"; touch {marker}",
        f"$(touch {marker})",
        f"`touch {marker}`",
        f"x && touch {marker}",
        f"x | touch {marker}",
        f"x\ntouch {marker}",
        "two words",
        "'quoted' \"twice\"",
        "{marker}",  # a device variable's name: stays literal, never substituted from a value
        "*",
    ]


async def test_each_param_reaches_the_program_as_one_literal_argument(
    tmp_path: Path, host_factory: HostFactory
) -> None:
    marker = tmp_path / "injected"
    async with host_factory([box(marker)]) as host:
        for payload in payloads(marker):
            view = await finished(host.client, await start(host.client, BATCH, say(payload)))
            assert view["status"] == "completed", view
            output = view["result"]["results"][0]["output_data"]
            assert json.loads(output["stdout"]) == [payload], payload
    assert not marker.exists()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"text": "--output=/etc/passwd"}, "text"),  # would read as an option
        ({"text": "-rf"}, "text"),
        ({"text": "hi", "marker": "/etc/passwd"}, "marker"),  # undeclared: not the device's
    ],
)
async def test_option_like_and_undeclared_params_are_refused_at_start(
    tmp_path: Path, host_factory: HostFactory, params: dict[str, Any], field: str
) -> None:
    async with host_factory([box(tmp_path / "injected")]) as host:
        answer = await host.client.post(BATCH, json=say(**params))
        assert answer.status_code == 422, answer.text
        assert field in json.dumps(answer.json()["details"])
        assert host.state.registry.page().total == 0


def join(a: str, b: str) -> dict[str, Any]:
    return {"device_id": "box", "actions": [{"command": "join", "params": {"a": a, "b": b}}]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (join("", "-rf"), "b"),  # the rendered argument starts with '-', not the placeholder
        (join("", "--output=/etc/passwd"), "b"),
        (say("x" * 200_000), "text"),  # past the per-argument limit: E2BIG if it ran
    ],
    ids=["empty-then-dash", "empty-then-option", "200k-argument"],
)
async def test_rendered_arguments_are_checked_at_start(
    tmp_path: Path, host_factory: HostFactory, body: dict[str, Any], field: str
) -> None:
    async with host_factory([box(tmp_path / "injected")]) as host:
        answer = await host.client.post(BATCH, json=body)
        assert answer.status_code == 422, answer.text
        [problem] = answer.json()["details"]
        assert problem["loc"] == ["body", "actions", 0, "params", field]
        assert host.state.registry.page().total == 0


async def test_two_params_that_render_a_harmless_argument_run(
    tmp_path: Path, host_factory: HostFactory
) -> None:
    async with host_factory([box(tmp_path / "injected")]) as host:
        view = await finished(host.client, await start(host.client, BATCH, join("x", "-rf")))
        assert view["status"] == "completed", view
        assert json.loads(view["result"]["results"][0]["output_data"]["stdout"]) == ["x-rf"]
