"""How the interpreter walks a graph: implicit failures, the visit cap, loops, run-time faults."""

from tests.conftest import LIBRARY, HostFactory
from tests.helpers import finished, start
from tests.host_service.kinds.testcase.graphs import RUN, graph_of, inline, linear, run, visited


async def test_missing_failure_edge_is_an_implicit_failure(host_factory: HostFactory) -> None:
    check = {
        "id": "check",
        "type": "verification",
        "verifications": [
            {"type": "screen", "command": "check_screen", "params": {"screen": "guide"}}
        ],
    }
    graph = graph_of(
        check,
        {"id": "ok", "type": "success"},
        edges=[("start", "check", "success"), ("check", "ok", "success")],
    )
    async with host_factory(library_path=LIBRARY) as host:
        result = (await run(host, testcase=inline(graph)))["result"]
        assert result["success"] is False
        assert result["terminal_node_id"] is None
        assert result["message"].startswith("check failed: 0/1 checks passed")


async def test_cycle_stops_at_the_visit_cap(host_factory: HostFactory) -> None:
    ping = {"id": "ping", "type": "block", "block": "log_message", "params": {"message": "ping"}}
    graph = graph_of(
        ping,
        {"id": "end", "type": "success"},
        edges=[
            ("start", "ping", "success"),
            ("ping", "ping", "success"),
            ("ping", "end", "failure"),
        ],
    )
    async with host_factory(library_path=LIBRARY) as host:
        result = (await run(host, testcase=inline(graph, max_visited_blocks=5)))["result"]
        assert result["success"] is False
        assert result["visited"] == 5
        assert "max_visited_blocks" in result["message"]
        assert "node 'ping' ran again: the graph cycles" in result["message"]


async def test_a_cap_below_what_a_graph_without_cycle_needs_does_not_claim_a_cycle(
    host_factory: HostFactory,
) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        result = (await run(host, testcase=inline(linear(8), max_visited_blocks=5)))["result"]
        assert result["success"] is False
        assert result["visited"] == 5
        assert result["message"] == (
            "stopped after 5 visited blocks (max_visited_blocks): "
            "the graph needs more visits than that"
        )


async def test_retry_loop_stops_at_its_first_passing_iteration(host_factory: HostFactory) -> None:
    enough = {
        "id": "enough",
        "type": "block",
        "block": "evaluate_condition",
        "params": {"left": "{attempt}", "operator": ">=", "right": 3},
    }
    body = graph_of(
        enough,
        {"id": "yes", "type": "success"},
        {"id": "no", "type": "failure"},
        edges=[
            ("start", "enough", "success"),
            ("enough", "yes", "success"),
            ("enough", "no", "failure"),
        ],
    )
    loop = {
        "id": "retry",
        "type": "loop",
        "iterations": 5,
        "on_failure": "continue",
        "until_success": True,
        "index_variable": "attempt",
        "graph": body,
    }
    graph = graph_of(
        loop,
        {"id": "ok", "type": "success"},
        edges=[("start", "retry", "success"), ("retry", "ok", "success")],
    )
    async with host_factory(library_path=LIBRARY) as host:
        result = (await run(host, testcase=inline(graph)))["result"]
        assert result["success"] is True
        assert visited(result) == ["retry/1/enough", "retry/2/enough", "retry/3/enough", "retry"]
        assert result["variables"]["attempt"] == 3


async def test_value_wrong_only_after_substitution_is_an_error(host_factory: HostFactory) -> None:
    press = {
        "id": "press",
        "type": "action",
        "actions": [{"command": "press_key", "params": {"key": "{key}"}}],
    }
    graph = graph_of(
        press,
        {"id": "ok", "type": "success"},
        edges=[("start", "press", "success"), ("press", "ok", "success")],
    )
    testcase = inline(graph, inputs=[{"name": "key", "type": "string", "required": True}])
    async with host_factory(library_path=LIBRARY) as host:
        body = {"device_id": "tv-1", "testcase": testcase, "inputs": {"key": "NOPE"}}
        view = await finished(host.client, await start(host.client, RUN, body))
        assert view["status"] == "error"
        assert view["error"]["code"] == "invalid_params"
        assert "must be one of" in view["error"]["message"]
        missing = await host.client.post(RUN, json={"device_id": "tv-1", "testcase": testcase})
        assert missing.status_code == 422
        assert missing.json()["details"][0]["loc"] == ["body", "inputs", "key"]
