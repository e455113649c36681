"""The `block` kind: a list of standard blocks run through the API with shared variables."""

from typing import Any

import pytest

from schemas import StandardBlocksRequest
from tests.conftest import HostFactory, RunningHost
from tests.helpers import finished, start, wait_status

BUILDER = "/host/builder/execute"


def block(name: str, /, **params: Any) -> dict[str, Any]:
    return {"name": name, "params": params}


async def test_blocks_run_in_order_and_share_variables(host: RunningHost) -> None:
    body = {
        "device_id": "tv-1",
        "variables": {"channel": 104, "expected": "Live"},
        "blocks": [
            block("get_current_time", format="%Y"),
            block("set_variable", name="limit", value=100),
            block("evaluate_condition", left="{channel}", operator=">", right="{limit}"),
            block("evaluate_condition", left="Live TV", operator="contains", right="{expected}"),
            block("log_message", message="channel {channel} checked in {current_time}"),
            block("sleep", seconds=0.01),
        ],
    }
    view = await finished(host.client, await start(host.client, BUILDER, body))
    assert view["status"] == "completed"
    result = view["result"]
    assert result["kind"] == "block"
    assert result["success"] is True
    assert (result["total"], result["passed"], result["failed"], result["skipped"]) == (6, 6, 0, 0)
    year = result["results"][0]["outputs"]["current_time"]
    assert result["variables"]["limit"] == 100
    assert result["variables"]["current_time"] == year
    assert result["variables"]["result"] is True
    assert result["results"][2]["params"] == {
        "left": 104,
        "operator": ">",
        "right": 100,
        "type": "auto",
        "ignore_case": False,
    }
    assert result["results"][4]["message"] == f"channel 104 checked in {year}"
    assert all(r["duration_ms"] >= 0 for r in result["results"])
    assert result["results"][5]["duration_ms"] >= 10
    assert [s["state"] for s in view["steps"]] == ["passed"] * 6
    logs = (
        await host.client.get(f"/host/executions/{view['execution_id']}?include_logs=true")
    ).json()["logs"]
    assert any(f"channel 104 checked in {year}" in line for line in logs)


async def test_a_failed_block_stops_the_run_and_the_rest_are_skipped(host: RunningHost) -> None:
    body = {
        "device_id": "tv-1",
        "blocks": [
            {
                **block("evaluate_condition", left=1, operator="==", right=2),
                "continue_on_fail": True,
            },
            block("evaluate_condition", left="a", operator="==", right="b"),
            block("log_message", message="never"),
        ],
    }
    view = await finished(host.client, await start(host.client, BUILDER, body))
    assert view["status"] == "completed"
    result = view["result"]
    assert result["success"] is False
    assert (result["passed"], result["failed"], result["skipped"]) == (0, 2, 1)
    assert "is false" in result["results"][1]["message"]
    assert [s["state"] for s in view["steps"]] == ["failed", "failed", "skipped"]
    page = await host.client.get(
        f"/host/executions/{view['execution_id']}/events", headers={"accept": "application/json"}
    )
    finished_steps = [
        (e["step"]["id"], e["step"]["state"])
        for e in page.json()["events"]
        if e["type"] == "step_finished"
    ]
    assert finished_steps == [("block-0", "failed"), ("block-1", "failed"), ("block-2", "skipped")]


@pytest.mark.parametrize(
    ("blocks", "variables", "loc", "fragment"),
    [
        ([block("sleep", seconds=1), block("teleport")], {}, [1, "name"], "unknown block"),
        ([block("sleep", seconds="x")], {}, [0, "params", "seconds"], "expected number"),
        ([block("sleep", seconds=9999)], {}, [0, "params", "seconds"], "between"),
        ([block("sleep", second=1)], {}, [0, "params", "second"], "unknown parameter"),
        ([block("log_message", message="{who}")], {}, [0, "params", "message"], "'who'"),
        (
            [block("log_message", message="{who}"), block("set_variable", name="who", value=1)],
            {},
            [0, "params", "message"],
            "unknown variable",
        ),
    ],
)
async def test_bad_blocks_are_a_422_naming_the_field_and_nothing_runs(
    host: RunningHost,
    blocks: list[dict[str, Any]],
    variables: dict[str, Any],
    loc: list[Any],
    fragment: str,
) -> None:
    body = {"device_id": "tv-1", "blocks": blocks, "variables": variables}
    response = await host.client.post(BUILDER, json=body)
    assert response.status_code == 422, response.text
    details = response.json()["details"]
    assert details[0]["loc"] == ["body", "blocks", *loc]
    assert fragment in details[0]["msg"]
    assert (await host.client.get("/host/executions")).json()["total"] == 0


async def test_bad_variable_names_and_timeouts_are_422(host: RunningHost) -> None:
    bad_name = {"device_id": "tv-1", "blocks": [block("sleep", seconds=0)], "variables": {"a b": 1}}
    response = await host.client.post(BUILDER, json=bad_name)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "variables"]
    too_long = {"device_id": "tv-1", "blocks": [block("sleep", seconds=0)], "timeout_s": 99_999}
    response = await host.client.post(BUILDER, json=too_long)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "timeout_s"]


async def test_a_variable_missing_at_run_time_is_an_error_naming_it(host: RunningHost) -> None:
    # The variable name comes from a placeholder, so only the run can tell it is missing.
    body = {
        "device_id": "tv-1",
        "variables": {"which": "speed"},
        "blocks": [
            block("set_variable", name="{which}", value=3),
            block("log_message", message="{speed} then {sped}"),
        ],
    }
    view = await finished(host.client, await start(host.client, BUILDER, body))
    assert view["status"] == "error"
    assert view["error"]["code"] == "unknown_variable"
    assert "'sped'" in view["error"]["message"]
    assert [s["state"] for s in view["steps"]] == ["passed", "failed"]


async def test_a_sleep_block_is_cancelled_mid_way(host: RunningHost) -> None:
    body = {
        "device_id": "tv-1",
        "blocks": [block("sleep", seconds=600), block("log_message", message="x")],
    }
    execution_id = await start(host.client, BUILDER, body)
    await host.wait_step(execution_id, "block-0", "running")
    assert (await host.client.post(f"/host/executions/{execution_id}/cancel")).status_code == 200
    view = await finished(host.client, execution_id, seconds=5)
    assert view["status"] == "cancelled"
    assert view["elapsed_ms"] < 5000
    # The block that was running is cancelled, the one that never started skipped.
    assert [s["state"] for s in view["steps"]] == ["cancelled", "skipped"]
    device = (await host.client.get("/host/devices/tv-1")).json()
    assert device["state"] == "idle"


async def test_a_sleep_past_the_deadline_times_out(host_factory: HostFactory) -> None:
    async with host_factory() as host:
        body = {"device_id": "tv-1", "timeout_s": 0.2, "blocks": [block("sleep", seconds=60)]}
        view = await finished(host.client, await start(host.client, BUILDER, body), seconds=5)
        assert view["status"] == "timed_out"
        assert view["error"]["code"] == "deadline_exceeded"


async def test_the_block_catalogue_lists_params_and_outputs(host: RunningHost) -> None:
    listing = (await host.client.get("/host/library/blocks")).json()
    by_name = {b["name"]: b for b in listing}
    assert {
        "sleep",
        "set_variable",
        "evaluate_condition",
        "get_current_time",
        "log_message",
    } <= set(by_name)
    clock = (await host.client.get("/host/library/blocks/get_current_time")).json()
    assert clock == by_name["get_current_time"]
    assert {p["name"]: p["default"] for p in clock["params"]} == {
        "format": "iso",
        "timezone": "utc",
    }
    assert [o["name"] for o in clock["outputs"]] == ["current_time", "timestamp"]
    missing = await host.client.get("/host/library/blocks/teleport")
    assert missing.status_code == 404
    assert missing.json()["error"] == "block_not_found"


async def test_wait_status_helper_sees_running_builder(host: RunningHost) -> None:
    body = {"device_id": "tv-1", "blocks": [block("sleep", seconds=600)]}
    execution_id = await start(host.client, BUILDER, body)
    view = await wait_status(host.client, execution_id, {"running"})
    assert view["kind"] == "block"
    assert (
        await host.client.get(f"/host/block/execution/{execution_id}/status")
    ).status_code == 200
    await host.client.post(f"/host/executions/{execution_id}/cancel")
    assert (await finished(host.client, execution_id))["status"] == "cancelled"


async def test_the_documented_example_runs_and_passes(host: RunningHost) -> None:
    [example] = StandardBlocksRequest.model_json_schema()["examples"]
    view = await finished(host.client, await start(host.client, BUILDER, example))
    assert view["status"] == "completed"
    assert view["result"]["success"] is True
