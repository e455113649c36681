"""A `{var}` that nothing defines before its node runs is a 422 at start, not an error later.

Defined: an input (with or without default), a variable of the testcase, a block
output (under its `outputs` name) or a loop index, written by a node that can run
before this node's first visit. Graphs that can run are still accepted.
"""

import itertools
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import HostFactory, RunningHost, fake
from tests.helpers import finished, start
from tests.host_service.kinds.testcase.graphs import RUN, inline

CAMPAIGN = "/host/campaign/execute"
OK = {"id": "ok", "type": "success"}


def block(
    node_id: str, name: str, outputs: dict[str, str] | None = None, /, **params: Any
) -> dict[str, Any]:
    node = {"id": node_id, "type": "block", "block": name, "params": params}
    return node if outputs is None else {**node, "outputs": outputs}


def setting(node_id: str, variable: str, value: Any) -> dict[str, Any]:
    return block(node_id, "set_variable", name=variable, value=value)


def chain(*nodes: dict[str, Any], edges: tuple[tuple[str, str, str], ...] = ()) -> dict[str, Any]:
    """start -> nodes in order -> ok, on success; `edges` adds more (source, target, outcome)."""
    ids = ["start", *(n["id"] for n in nodes), "ok"]
    pairs = [(a, b, "success") for a, b in itertools.pairwise(ids)]
    return {
        "nodes": [{"id": "start", "type": "start"}, *nodes, OK],
        "edges": [{"source": s, "target": t, "outcome": o} for s, t, o in [*pairs, *edges]],
    }


async def rejected(host: RunningHost, testcase: dict[str, Any]) -> list[dict[str, Any]]:
    response = await host.client.post(RUN, json={"device_id": "d1", "testcase": testcase})
    assert response.status_code == 422, response.text
    assert (await host.client.get("/host/executions")).json()["total"] == 0
    details: list[dict[str, Any]] = response.json()["details"]
    return details


async def test_a_variable_set_only_after_its_node_is_a_422_naming_node_and_variable(
    host_factory: HostFactory,
) -> None:
    graph = chain(
        block("say", "log_message", message="key is {key}"), setting("set_key", "key", "HOME")
    )
    async with host_factory([fake("d1")]) as host:
        [detail] = await rejected(host, inline(graph))
    assert detail["loc"] == ["body", "testcase", "graph", "nodes", 1, "params", "message"]
    assert "'say'" in detail["msg"]
    assert "{key}" in detail["msg"]
    assert "'set_key'" in detail["msg"]  # it is set, but only later


async def test_a_variable_nothing_defines_is_found_past_a_block_of_unknown_outputs(
    host_factory: HostFactory,
) -> None:
    """A `set_variable` whose name is a placeholder hides only the nodes after it."""
    graph = chain(
        block("say", "log_message", message="{typo}"),
        setting("dynamic", "{which}", 1),
        block("after", "log_message", message="{anything}"),
    )
    testcase = inline(graph, variables={"which": "anything"})
    async with host_factory([fake("d1")]) as host:
        [detail] = await rejected(host, testcase)
    assert detail["loc"][-4:] == ["nodes", 1, "params", "message"]
    assert "'say'" in detail["msg"]
    assert "{typo}" in detail["msg"]
    assert "which" in detail["msg"]  # what is known there, to spot the typo


async def test_the_first_visit_counts_on_a_cycle(host_factory: HostFactory) -> None:
    """`bump` feeds `check` again, but `check` runs first: {attempt} is undefined then."""
    check = block("check", "evaluate_condition", left="{attempt}", operator=">=", right=3)
    bump = block("bump", "calculate", {"value": "attempt"}, left="{attempt}", operator="+", right=1)
    graph = chain(check, edges=(("check", "bump", "failure"), ("bump", "check", "success")))
    graph["nodes"].append(bump)
    async with host_factory([fake("d1")]) as host:
        details = await rejected(host, inline(graph))
        assert [d["loc"][-3:] for d in details] == [
            [1, "params", "left"],  # check; bump runs after check, so it is flagged too
            [3, "params", "left"],
        ]
        fixed = inline(graph, variables={"attempt": 0})
        view = await finished(
            host.client, await start(host.client, RUN, {"device_id": "d1", "testcase": fixed})
        )
    assert view["status"] == "completed"
    assert view["result"]["variables"]["attempt"] == 3


async def test_loop_bodies_see_the_index_and_only_what_ran_before(
    host_factory: HostFactory,
) -> None:
    body = chain(block("use", "log_message", message="{later}"), setting("set", "later", 1))
    loop = {"id": "loop", "type": "loop", "iterations": 3, "on_failure": "continue", "graph": body}
    async with host_factory([fake("d1")]) as host:
        [detail] = await rejected(host, inline(chain(loop)))
    assert detail["loc"][-7:] == ["nodes", 1, "graph", "nodes", 1, "params", "message"]
    assert "'use'" in detail["msg"]
    assert "{later}" in detail["msg"]


async def test_a_renamed_output_is_known_by_its_new_name_only(host_factory: HostFactory) -> None:
    clock = block("clock", "get_current_time", {"current_time": "started_at"})
    graph = chain(clock, block("say", "log_message", message="{current_time}"))
    wrong_key = chain(block("clock", "get_current_time", {"now": "started_at"}))
    async with host_factory([fake("d1")]) as host:
        [detail] = await rejected(host, inline(graph))
        [bad_rename] = await rejected(host, inline(wrong_key))
    assert "{current_time}" in detail["msg"]
    assert "started_at" in detail["msg"]
    assert bad_rename["loc"][-2:] == ["outputs", "now"]
    assert "current_time" in bad_rename["msg"]  # the outputs it has


async def test_graphs_that_can_run_are_accepted_and_run(host_factory: HostFactory) -> None:
    """Inputs with defaults, loop index and body outputs, a value set by an earlier iteration."""
    # Iteration 1 takes the failure branch and sets `seen`; iteration 2 passes and reads it.
    body = {
        "nodes": [
            {"id": "start", "type": "start"},
            block("second", "evaluate_condition", left="{i}", operator="==", right=2),
            setting("note", "seen", "{i}"),
            block("read", "log_message", message="seen {seen} at {i}"),
            OK,
            {"id": "again", "type": "failure"},
        ],
        "edges": [
            {"source": "start", "target": "second"},
            {"source": "second", "target": "read"},
            {"source": "second", "target": "note", "outcome": "failure"},
            {"source": "note", "target": "again"},
            {"source": "read", "target": "ok"},
        ],
    }
    loop = {
        "id": "loop",
        "type": "loop",
        "iterations": 3,
        "until_success": True,
        "on_failure": "continue",
        "index_variable": "i",
        "graph": body,
    }
    clock = block("clock", "get_current_time", {"timestamp": "at"})
    graph = chain(clock, loop, setting("copy", "result", "{greeting} {seen} {at}"))
    testcase = inline(graph, inputs=[{"name": "greeting", "default": "hi"}], outputs=["result"])
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(host.client, RUN, {"device_id": "d1", "testcase": testcase})
        view = await finished(host.client, execution_id)
    assert view["status"] == "completed", view
    assert view["result"]["outputs"]["result"].startswith("hi 1 ")


async def test_an_inline_campaign_testcase_is_checked_and_chained_inputs_are_known(
    host_factory: HostFactory,
) -> None:
    producer = inline(chain(setting("make", "token", 41)), id="producer", outputs=["token"])
    consumer = inline(
        chain(setting("use", "seen", "{given} {token}")),
        id="consumer",
        inputs=[{"name": "given", "required": True}],
        outputs=["seen"],
    )
    items = [
        {"testcase": producer},
        {"testcase": consumer, "inputs": {"given": "${previous.outputs.token}"}},
    ]
    campaign = {"id": "chained", "name": "Chained", "items": items}
    async with host_factory([fake("d1")]) as host:
        bad = await host.client.post(CAMPAIGN, json={"device_id": "d1", "campaign": campaign})
        assert bad.status_code == 422, bad.text
        [detail] = bad.json()["details"]
        assert detail["loc"][:5] == ["body", "campaign", "items", 1, "testcase"]
        assert "'use'" in detail["msg"]
        assert "{token}" in detail["msg"]
        consumer["graph"] = chain(setting("use", "seen", "{given}"))
        execution_id = await start(host.client, CAMPAIGN, {"device_id": "d1", "campaign": campaign})
        view = await finished(host.client, execution_id)
    assert view["status"] == "completed", view
    assert view["result"]["items"][1]["outputs"] == {"seen": 41}


async def test_a_library_testcase_with_an_undefined_variable_is_a_load_problem(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    (library / "testcases").mkdir(parents=True)
    testcase = inline(
        chain(block("say", "log_message", message="{nowhere}")), id="undefined_variable"
    )
    (library / "testcases" / "undefined.yaml").write_text(yaml.safe_dump(testcase))
    async with host_factory([fake("d1")], library_path=library) as host:
        problems = (await host.client.get("/host/library/problems")).json()
        by_id = await host.client.post(
            RUN, json={"device_id": "d1", "testcase_id": "undefined_variable"}
        )
    [problem] = problems
    assert problem["file"].endswith("undefined.yaml")
    assert "'say'" in problem["message"]
    assert "{nowhere}" in problem["message"]
    assert by_id.status_code == 404
