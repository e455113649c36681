"""Caps on what an execution produces, through the API: a value, a result, a message.

Over a cap the step fails, the execution ends in `error` saying which value and which
limit, and neither the view nor the journal holds the oversized value.
"""

import itertools
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import HostFactory, RunningHost, fake
from tests.helpers import finished, start
from tests.host_service.kinds.testcase.graphs import RUN, graph_of, inline

BUILDER = "/host/builder/execute"


def doublings(times: int) -> list[dict[str, Any]]:
    """set_variable s = "{s}{s}", `times` times: 8 bytes become 8 * 2 ** times."""
    first = {"name": "set_variable", "params": {"name": "s", "value": "12345678"}}
    double = {"name": "set_variable", "params": {"name": "s", "value": "{s}{s}"}}
    return [first] + [double] * times


def journal_bytes(host: RunningHost) -> int:
    """The largest text the journal holds in any row."""
    path = Path(str(getattr(host.state.journal, "path")))  # noqa: B009 - the SQLite journal
    with sqlite3.connect(path) as db:
        sizes = [
            db.execute(f"SELECT max(length({c})) FROM {t}").fetchone()[0] or 0  # noqa: S608
            for t, c in [("executions", "result"), ("executions", "steps"), ("events", "body")]
        ]
    return max(sizes)


async def test_a_value_that_doubles_past_the_cap_fails_its_step(host: RunningHost) -> None:
    # 8 bytes doubled 13 times is 65,536 bytes: with its quotes, past the cap of a value.
    body = {"device_id": "tv-1", "blocks": doublings(24)}
    view = await finished(host.client, await start(host.client, BUILDER, body))
    assert view["status"] == "error", view["status"]
    assert view["error"]["code"] == "value_too_large"
    assert view["error"]["message"] == (
        "block set_variable: its params would be over 65,536 bytes, the limit of a value "
        "(HOST_MAX_VALUE_BYTES)"
    )
    states = [step["state"] for step in view["steps"]]
    assert states == ["passed"] * 13 + ["failed"] + ["skipped"] * 11
    assert view["result"] is None
    await host.client.get("/host/health")  # the journal is flushed before any answer
    assert journal_bytes(host) < 70_000  # the last value that fitted, never the one past


async def test_a_variable_shared_into_the_result_too_often_passes_the_result_cap(
    host: RunningHost,
) -> None:
    big = "x" * 60_000
    blocks = [{"name": "log_message", "params": {"message": "{big}"}} for _ in range(20)]
    body = {"device_id": "tv-1", "variables": {"big": big}, "blocks": blocks}
    view = await finished(host.client, await start(host.client, BUILDER, body))
    assert view["status"] == "error"
    assert view["error"]["code"] == "result_too_large"
    assert "limit of a result (HOST_MAX_RESULT_BYTES)" in view["error"]["message"]
    assert view["result"] is None
    # Messages are cut, not failed: each step's message shows its start and what was cut.
    message = view["steps"][0]["message"]
    assert message == "x" * 4_096 + "... (55,904 more characters)"


async def test_a_testcase_variable_past_the_cap_fails_its_node(host_factory: HostFactory) -> None:
    nodes = [
        {"id": f"d{i}", "type": "block", "block": "set_variable", "params": step["params"]}
        for i, step in enumerate(doublings(16))
    ]
    ids = ["start", *(n["id"] for n in nodes), "end"]
    edges = [(a, b, "success") for a, b in itertools.pairwise(ids)]
    graph = graph_of(*nodes, {"id": "end", "type": "success"}, edges=edges)
    async with host_factory() as host:
        body = {"device_id": "tv-1", "testcase": inline(graph)}
        view = await finished(host.client, await start(host.client, RUN, body))
        assert view["status"] == "error"
        assert view["error"]["code"] == "value_too_large"
        failed = [step["id"] for step in view["steps"] if step["state"] == "failed"]
        assert failed == ["d13"]


async def test_a_driver_output_past_the_cap_ends_the_execution(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        action = {"command": "ok", "params": {"out": "y" * 70_000}}
        body = {"device_id": "d1", "actions": [action]}
        view = await finished(
            host.client, await start(host.client, "/host/action/executeBatch", body)
        )
        assert view["status"] == "error"
        assert view["error"] == {
            "code": "value_too_large",
            "message": "ok: output 'out' is over 65,536 bytes, the limit of a value "
            "(HOST_MAX_VALUE_BYTES)",
            "details": None,
        }


async def test_the_caps_are_host_settings(host_factory: HostFactory) -> None:
    async with host_factory(max_value_bytes=2_048, max_message_chars=100) as host:
        body = {"device_id": "tv-1", "blocks": doublings(9)}  # 4 KiB
        view = await finished(host.client, await start(host.client, BUILDER, body))
        assert view["error"]["code"] == "value_too_large"
        assert "over 2,048 bytes" in view["error"]["message"]
        path = f"/host/executions/{view['execution_id']}"
        logs = (await host.client.get(path, params={"include_logs": True})).json()["logs"]
        assert max(len(line) for line in logs) < 140
