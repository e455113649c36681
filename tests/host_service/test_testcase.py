"""Testcases of the example library run to their expected outcome; graph checks at start."""

import asyncio
from typing import Any

from tests.conftest import LIBRARY, HostFactory, RunningHost, fake
from tests.helpers import finished, start

RUN = "/host/testcase/execute"


async def run(host: RunningHost, **body: Any) -> dict[str, Any]:
    view = await finished(host.client, await start(host.client, RUN, {"device_id": "tv-1", **body}))
    assert view["status"] == "completed", view
    return view


def visited(result: dict[str, Any]) -> list[str]:
    return [block["node_id"] for block in result["blocks"]]


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
        result = (await run(host, testcase_id="check_resolution"))["result"]
        assert result["success"] is True
        assert result["message"] == "2160p is offered"
        assert result["outputs"] == {"resolution": "2160p"}


async def test_check_resolution_takes_the_failure_branch(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        view = await run(host, testcase_id="check_resolution", inputs={"resolution": "8K"})
        result = view["result"]
        assert result["success"] is False
        assert result["terminal_node_id"] == "not_offered"
        assert result["message"] == "8K is not offered"
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


def _graph(*nodes: dict[str, Any], edges: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "nodes": [{"id": "start", "type": "start"}, *nodes],
        "edges": [{"source": s, "target": t, "outcome": o} for s, t, o in edges],
    }


def _inline(graph: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": "inline", "name": "Inline", "graph": graph, **extra}


async def test_missing_failure_edge_is_an_implicit_failure(host_factory: HostFactory) -> None:
    check = {
        "id": "check",
        "type": "verification",
        "verifications": [
            {"type": "screen", "command": "check_screen", "params": {"screen": "guide"}}
        ],
    }
    graph = _graph(
        check,
        {"id": "ok", "type": "success"},
        edges=[("start", "check", "success"), ("check", "ok", "success")],
    )
    async with host_factory(library_path=LIBRARY) as host:
        result = (await run(host, testcase=_inline(graph)))["result"]
        assert result["success"] is False
        assert result["terminal_node_id"] is None
        assert result["message"].startswith("check failed: 0/1 checks passed")


async def test_cycle_stops_at_the_visit_cap(host_factory: HostFactory) -> None:
    ping = {"id": "ping", "type": "block", "block": "log_message", "params": {"message": "ping"}}
    graph = _graph(
        ping,
        {"id": "end", "type": "success"},
        edges=[
            ("start", "ping", "success"),
            ("ping", "ping", "success"),
            ("ping", "end", "failure"),
        ],
    )
    async with host_factory(library_path=LIBRARY) as host:
        result = (await run(host, testcase=_inline(graph, max_visited_blocks=5)))["result"]
        assert result["success"] is False
        assert result["visited"] == 5
        assert "max_visited_blocks" in result["message"]


async def test_graph_problems_are_all_listed_in_one_422(host_factory: HostFactory) -> None:
    graph = {
        "nodes": [
            {"id": "s1", "type": "start"},
            {"id": "s2", "type": "start"},
            {"id": "nav", "type": "navigation", "tree_id": "nope", "target_node_id": "x"},
            {"id": "blk", "type": "block", "block": "no_such_block"},
            {"id": "orphan", "type": "success"},
            {"id": "done", "type": "success"},
        ],
        "edges": [
            {"source": "s1", "target": "nav"},
            {"source": "nav", "target": "ghost"},
            {"source": "done", "target": "nav"},
        ],
    }
    async with host_factory(library_path=LIBRARY) as host:
        response = await host.client.post(
            RUN, json={"device_id": "tv-1", "testcase": _inline(graph), "inputs": {"x": 1}}
        )
        assert response.status_code == 422
        messages = [d["msg"] for d in response.json()["details"]]
        expected = [
            "needs exactly one start node, has 2",
            "unknown node 'ghost'",
            "'done' is a terminal node: no edge may leave it",
            "'nav' has no success edge",
            "'orphan' is not reachable from the start",
            "no tree 'nope' in the library",
            "unknown input; accepted: none",
        ]
        for text in expected:
            assert any(text in m for m in messages), (text, messages)
        assert any("unknown block 'no_such_block'" in m for m in messages)
        assert (await host.client.get("/host/executions")).json()["total"] == 0


async def test_unknown_testcase_is_404_and_bad_input_422(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        missing = await host.client.post(RUN, json={"device_id": "tv-1", "testcase_id": "nope"})
        assert missing.status_code == 404
        assert missing.json()["error"] == "testcase_not_found"
        wrong_type = await host.client.post(
            RUN,
            json={
                "device_id": "tv-1",
                "testcase_id": "check_resolution",
                "inputs": {"resolution": 4},
            },
        )
        assert wrong_type.status_code == 422
        assert wrong_type.json()["details"][0]["loc"] == ["body", "inputs", "resolution"]


async def test_cancel_mid_block_stops_the_testcase(host_factory: HostFactory) -> None:
    wait = {"id": "wait", "type": "action", "actions": [{"command": "gate"}]}
    graph = _graph(
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
        body = {"device_id": "d1", "testcase": _inline(graph)}
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
