"""Bad start requests: a clear 422 or 404 naming what was wrong, and nothing is created."""

from typing import Any

import pytest

from tests.conftest import HostFactory, RunningHost, simulated

BATCH = "/host/action/executeBatch"
VERIFY = "/host/verification/executeBatch"
KEY = {"command": "press_key", "params": {"key": "OK"}}


async def assert_nothing_created(host: RunningHost) -> None:
    assert (await host.client.get("/host/executions")).json()["total"] == 0


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        (
            BATCH,
            {"device_id": "tv-1", "actions": [{"command": "press_kee"}]},
            ["body", "actions", 0, "command"],
        ),
        (
            BATCH,
            {"device_id": "tv-1", "actions": [KEY, {"command": "press_key"}]},
            ["body", "actions", 1, "params", "key"],
        ),
        (
            BATCH,
            {"device_id": "tv-1", "actions": [{"command": "press_key", "params": {"key": "XYZ"}}]},
            ["body", "actions", 0, "params", "key"],
        ),
        (
            BATCH,
            {"device_id": "tv-1", "actions": [{"command": "press_key", "params": {"key": 5}}]},
            ["body", "actions", 0, "params", "key"],
        ),
        (
            BATCH,
            {"device_id": "tv-1", "actions": [KEY], "retry_actions": [{"command": "reboot"}]},
            ["body", "retry_actions", 0, "command"],
        ),
        (
            BATCH,
            {"device_id": "tv-1", "actions": [{**KEY, "extra": 1}]},
            ["body", "actions", 0, "extra"],
        ),
        (
            BATCH,
            {"device_id": "tv-1", "actions": [{**KEY, "iterator": 0}]},
            ["body", "actions", 0, "iterator"],
        ),
        (BATCH, {"device_id": "tv-1", "actions": []}, ["body", "actions"]),
        (BATCH, {"actions": [KEY]}, ["body", "device_id"]),
        (BATCH, {"device_id": "tv 1", "actions": [KEY]}, ["body", "device_id"]),
        (
            BATCH,
            {"device_id": "tv-1", "actions": [KEY], "host_name": "other-host"},
            ["body", "host_name"],
        ),
        (
            VERIFY,
            {"device_id": "tv-1", "verifications": [{"type": "screen", "command": "look"}]},
            ["body", "verifications", 0, "command"],
        ),
        (
            VERIFY,
            {"device_id": "tv-1", "verifications": [{"type": "screen", "command": "check_screen"}]},
            ["body", "verifications", 0, "params", "screen"],
        ),
        (
            VERIFY,
            {
                "device_id": "tv-1",
                "verifications": [
                    {"type": "text", "command": "check_text", "params": {"text": "x"}}
                ],
                "pass_condition": "most",
            },
            ["body", "pass_condition"],
        ),
    ],
)
async def test_invalid_body_is_422_naming_the_field(
    host_factory: HostFactory, path: str, body: dict[str, Any], loc: list[str | int]
) -> None:
    async with host_factory([simulated("tv-1")]) as host:
        response = await host.client.post(path, json=body)
        assert response.status_code == 422, response.text
        error = response.json()
        assert error["error"] == "validation_error"
        assert loc in [d["loc"] for d in error["details"]]
        assert str(loc[-1]) in error["message"]
        await assert_nothing_created(host)


async def test_unknown_device_is_404_naming_it(host_factory: HostFactory) -> None:
    async with host_factory([simulated("tv-1")]) as host:
        response = await host.client.post(BATCH, json={"device_id": "tv-9", "actions": [KEY]})
        assert response.status_code == 404
        assert response.json()["error"] == "device_not_found"
        assert "tv-9" in response.json()["message"]
        assert (await host.client.get("/host/devices/tv-9")).status_code == 404
        await assert_nothing_created(host)


async def test_malformed_json_is_422(host_factory: HostFactory) -> None:
    async with host_factory([simulated("tv-1")]) as host:
        response = await host.client.post(
            BATCH, content=b"{not json", headers={"content-type": "application/json"}
        )
        assert response.status_code == 422
        assert response.json()["error"] == "validation_error"
        await assert_nothing_created(host)


async def test_unknown_execution_is_404(host_factory: HostFactory) -> None:
    async with host_factory([simulated("tv-1")]) as host:
        for path in ("/host/executions/nope", "/host/action/execution/nope/status"):
            response = await host.client.get(path)
            assert response.status_code == 404
            assert response.json()["error"] == "execution_not_found"
        assert (await host.client.get("/host/nokind/execution/x/status")).status_code == 422


async def test_device_lists_what_it_accepts(host_factory: HostFactory) -> None:
    async with host_factory([simulated("tv-1")]) as host:
        device = (await host.client.get("/host/devices/tv-1")).json()
    commands = {c["command"]: c for c in device["commands"]}
    assert "HOME" in commands["press_key"]["params"][0]["choices"]
    assert {(v["type"], v["command"]) for v in device["verifications"]} >= {
        ("screen", "check_screen"),
        ("text", "wait_for_text_to_appear"),
    }
    assert device["details"]["screen"] == "home"


async def test_a_body_that_is_not_text_is_a_422_on_the_body(host: RunningHost) -> None:
    response = await host.client.post(
        BATCH, content=b'{"device_id": "tv-\xe9"}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert response.json()["details"][0]["loc"] == ["body"]
    await assert_nothing_created(host)
