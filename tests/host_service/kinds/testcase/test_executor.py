"""Each testcase of the example library runs to its expected outcome; cancel mid-block."""

import asyncio

from tests.conftest import LIBRARY, HostFactory, fake
from tests.helpers import finished, start
from tests.host_service.kinds.testcase.graphs import RUN, graph_of, inline, run, visited


async def test_open_guide_navigates_and_checks(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        view = await run(host, testcase_id="open_guide")
        result = view["result"]
        assert result["success"] is True
        assert result["terminal_node_id"] == "passed"
        assert result["message"] == "The guide shows today's listings"
        assert visited(result) == ["go_to_guide", "check_listings"]
        navigation = result["blocks"][0]["details"]
        assert [n["id"] for n in navigation["path"]] == ["home", "guide"]
        assert [(s["id"], s["state"]) for s in view["steps"]] == [
            ("go_to_guide", "passed"),
            ("check_listings", "passed"),
        ]
        device = (await host.client.get("/host/devices/tv-1")).json()
        assert device["current_node"] == "guide"


async def test_check_resolution_passes_with_its_default_input(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        view = await run(host, testcase_id="check_resolution")
        result = view["result"]
        assert result["success"] is True
        assert result["message"] == "2160p is offered"
        assert {s["id"]: s["state"] for s in view["steps"]} == {
            "open_resolution": "passed",
            "resolution_listed": "passed",
            "report_missing": "skipped",
            "back_home": "skipped",
        }
        assert result["outputs"] == {"resolution": "2160p"}


async def test_check_resolution_takes_the_failure_branch(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        view = await run(host, testcase_id="check_resolution", inputs={"resolution": "8K"})
        result = view["result"]
        assert result["success"] is False
        assert result["terminal_node_id"] == "not_offered"
        assert result["message"] == "8K is not offered"
        labels = {s["id"]: s["label"] for s in view["steps"]}
        assert labels["resolution_listed"] == "8K is listed"
        assert visited(result) == [
            "open_resolution",
            "resolution_listed",
            "report_missing",
            "back_home",
        ]
        assert [b["success"] for b in result["blocks"]] == [True, False, True, True]
        device = (await host.client.get("/host/devices/tv-1")).json()
        assert device["details"]["screen"] == "home"


async def test_zap_channels_loops_three_times(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        view = await run(host, testcase_id="zap_channels")
        result = view["result"]
        assert result["success"] is True, result
        assert result["outputs"] == {"zaps": 3}
        assert result["message"] == "zapped 3 channels"
        body = [b for b in visited(result) if b.startswith("zap/")]
        assert body == [f"zap/{i}/{n}" for i in (1, 2, 3) for n in ("channel_up", "banner")]
        states = {s["id"]: s["state"] for s in view["steps"]}
        assert states["zap/channel_up"] == "passed"
        assert states["zap"] == "passed"


async def test_record_programme_uses_variables_and_block_outputs(
    host_factory: HostFactory,
) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        result = (await run(host, testcase_id="record_programme"))["result"]
        assert result["success"] is True, result
        outputs = result["outputs"]
        assert set(outputs) == {"channel", "started_at", "is_expected_channel"}
        assert outputs["channel"] == "BBC One"
        assert outputs["is_expected_channel"] is True
        assert outputs["started_at"].startswith("20")
        assert result["message"] == "recording of BBC One scheduled"
        navigation = result["blocks"][1]["details"]
        assert "record_programme" in [n["id"] for n in navigation["path"]]


async def test_cancel_mid_block_stops_the_testcase(host_factory: HostFactory) -> None:
    wait = {"id": "wait", "type": "action", "actions": [{"command": "gate"}]}
    graph = graph_of(
        wait,
        {"id": "after", "type": "action", "actions": [{"command": "ok"}]},
        {"id": "ok", "type": "success"},
        edges=[
            ("start", "wait", "success"),
            ("wait", "after", "success"),
            ("after", "ok", "success"),
        ],
    )
    async with host_factory([fake("d1")], library_path=LIBRARY) as host:
        body = {"device_id": "d1", "testcase": inline(graph)}
        execution_id = await start(host.client, RUN, body)
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)
        view = (await host.client.get(f"/host/executions/{execution_id}")).json()
        assert view["current_step_id"] == "wait"
        assert {s["id"]: s["state"] for s in view["steps"]} == {
            "wait": "running",
            "after": "pending",
        }
        await host.client.post(f"/host/executions/{execution_id}/cancel")
        view = await finished(host.client, execution_id, seconds=5)
        assert view["status"] == "cancelled"
        assert [c.operation for c in host.fake("d1").calls.snapshot()] == ["gate"]
        # The steps end as in every kind; the result so far shows where it stopped.
        assert {s["id"]: s["state"] for s in view["steps"]} == {
            "wait": "cancelled",
            "after": "skipped",
        }
        partial = view["result"]
        assert (partial["success"], partial["terminal_node_id"]) == (False, None)
        assert [(b["node_id"], b["success"]) for b in partial["blocks"]] == [("wait", False)]
        assert "cancelled" in partial["blocks"][0]["message"]


async def test_a_testcase_whose_device_hangs_keeps_the_nodes_it_ran_when_it_is_stopped(
    host_factory: HostFactory,
) -> None:
    graph = graph_of(
        {"id": "first", "type": "action", "actions": [{"command": "ok"}]},
        {"id": "hung", "type": "action", "actions": [{"command": "hang"}]},
        {"id": "ok", "type": "success"},
        edges=[
            ("start", "first", "success"),
            ("first", "hung", "success"),
            ("hung", "ok", "success"),
        ],
    )
    async with host_factory([fake("d1")], stop_grace_s=0.2) as host:
        execution_id = await start(host.client, RUN, {"device_id": "d1", "testcase": inline(graph)})
        for _ in ("first", "hung"):
            assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)
        await host.client.post(f"/host/executions/{execution_id}/cancel")
        view = await finished(host.client, execution_id)
        host.fake("d1").hang_released.set()  # the call returns at last; nothing changes
    assert view["status"] == "cancelled"
    result = view["result"]
    assert (result["success"], result["visited"]) == (False, 2)
    assert [(b["node_id"], b["success"]) for b in result["blocks"]] == [("first", True)]
    assert "did not return" in result["message"]
    assert {s["id"]: s["state"] for s in view["steps"]} == {
        "first": "passed",
        "hung": "cancelled",
    }
