"""Action batch semantics: iterations, continue_on_fail, retry actions, failure actions."""

from typing import Any

import pytest

from tests.conftest import HostFactory, fake
from tests.helpers import finished, start

BATCH = "/host/action/executeBatch"


def run_order(result: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(r["category"], r["command"], r["success"]) for r in result["results"]]


@pytest.mark.parametrize(
    ("batch", "success", "order"),
    [
        pytest.param(
            {"actions": ["ok"], "retry_actions": ["ok"], "failure_actions": ["ok"]},
            True,
            [("main", "ok", True)],
            id="main-passes-nothing-else-runs",
        ),
        pytest.param(
            {"actions": ["fail", "ok"]},
            False,
            [("main", "fail", False)],
            id="main-stops-at-first-failure",
        ),
        pytest.param(
            {"actions": ["fail"], "retry_actions": ["ok", "ok"], "failure_actions": ["ok"]},
            True,
            [("main", "fail", False), ("retry", "ok", True), ("retry", "ok", True)],
            id="retry-rescues-the-batch-cleanup-skipped",
        ),
        pytest.param(
            {
                "actions": ["fail"],
                "retry_actions": ["fail", "ok"],
                "failure_actions": ["ok", "fail", "ok"],
            },
            False,
            [
                ("main", "fail", False),
                ("retry", "fail", False),
                ("failure", "ok", True),
                ("failure", "fail", False),
                ("failure", "ok", True),
            ],
            id="retry-stops-at-first-failure-then-all-cleanup-runs",
        ),
        pytest.param(
            {"actions": ["fail"], "failure_actions": ["ok"]},
            False,
            [("main", "fail", False), ("failure", "ok", True)],
            id="cleanup-runs-without-retry-actions",
        ),
        pytest.param(
            {"actions": ["fail"], "retry_actions": ["ok"]},
            True,
            [("main", "fail", False), ("retry", "ok", True)],
            id="retry-without-cleanup",
        ),
        pytest.param(
            {"actions": ["fail"]},
            False,
            [("main", "fail", False)],
            id="no-retry-no-cleanup",
        ),
    ],
)
async def test_retry_and_failure_action_combinations(
    host_factory: HostFactory,
    batch: dict[str, list[str]],
    success: bool,
    order: list[tuple[str, str, bool]],
) -> None:
    body: dict[str, Any] = {"device_id": "d1"}
    for group, commands in batch.items():
        body[group] = [{"command": c} for c in commands]
    async with host_factory([fake("d1")]) as host:
        view = await finished(host.client, await start(host.client, BATCH, body))
    assert view["status"] == "completed"  # a failed check is never an `error`
    assert view["result"]["success"] is success
    assert run_order(view["result"]) == order
    assert [c.operation for c in host.fake("d1").calls.snapshot()] == [c for _, c, _ in order]


async def test_continue_on_fail_runs_the_rest_but_main_still_failed(
    host_factory: HostFactory,
) -> None:
    body = {
        "device_id": "d1",
        "actions": [{"command": "fail", "continue_on_fail": True}, {"command": "ok"}],
        "retry_actions": [{"command": "ok"}],
    }
    async with host_factory([fake("d1")]) as host:
        result = (await finished(host.client, await start(host.client, BATCH, body)))["result"]
    assert run_order(result) == [
        ("main", "fail", False),
        ("main", "ok", True),
        ("retry", "ok", True),
    ]
    assert result["main_success"] is False
    assert result["retry_success"] is True
    assert result["success"] is True


async def test_iterations_stop_at_the_first_failed_one(host_factory: HostFactory) -> None:
    body = {
        "device_id": "d1",
        "actions": [
            {"command": "ok", "iterator": 3, "wait_time_ms": 1},
            {"command": "flaky", "params": {"times": 5}, "iterator": 4},
        ],
    }
    async with host_factory([fake("d1")]) as host:
        result = (await finished(host.client, await start(host.client, BATCH, body)))["result"]
    first, second = result["results"]
    assert (first["iterations_run"], first["iterations_requested"], first["success"]) == (
        3,
        3,
        True,
    )
    assert (second["iterations_run"], second["iterations_requested"], second["success"]) == (
        1,
        4,
        False,
    )


async def test_output_data_is_merged_in_order(host_factory: HostFactory) -> None:
    body = {
        "device_id": "d1",
        "actions": [
            {"command": "ok", "params": {"out": "first"}},
            {"command": "ok", "params": {"out": "second"}},
        ],
    }
    async with host_factory([fake("d1")]) as host:
        result = (await finished(host.client, await start(host.client, BATCH, body)))["result"]
    assert result["results"][0]["output_data"] == {"out": "first"}
    assert result["output_data"] == {"out": "second"}
    assert (result["total"], result["passed"], result["failed"]) == (2, 2, 0)


async def test_steps_show_every_action_with_state_and_duration(host_factory: HostFactory) -> None:
    body = {
        "device_id": "d1",
        "actions": [{"command": "ok"}, {"command": "fail"}],
        "failure_actions": [{"command": "ok"}],
    }
    async with host_factory([fake("d1")]) as host:
        view = await finished(host.client, await start(host.client, BATCH, body))
    steps = {s["id"]: s for s in view["steps"]}
    assert steps["main-0"]["state"] == "passed"
    assert steps["main-1"]["state"] == "failed"
    assert steps["failure-0"]["state"] == "passed"
    assert all(s["duration_ms"] is not None for s in steps.values())


async def test_driver_fault_is_an_error_not_a_failed_test(host_factory: HostFactory) -> None:
    from tests.conftest import simulated

    device = simulated("tv-1", faults={"disconnect_after_calls": 1})
    key = {"command": "press_key", "params": {"key": "OK"}}
    async with host_factory([device]) as host:
        view = await finished(
            host.client,
            await start(host.client, BATCH, {"device_id": "tv-1", "actions": [key, key]}),
        )
        assert view["status"] == "error"
        assert view["error"]["code"] == "device_disconnected"
        assert view["result"] is None
        assert (await host.client.get("/host/devices/tv-1")).json()["state"] == "offline"
