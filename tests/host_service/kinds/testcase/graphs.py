"""Small inline testcases for the tests, and a helper that runs one to completion."""

import itertools
from typing import Any

from tests.conftest import RunningHost
from tests.helpers import finished, start

RUN = "/host/testcase/execute"


async def run(host: RunningHost, **body: Any) -> dict[str, Any]:
    view = await finished(host.client, await start(host.client, RUN, {"device_id": "tv-1", **body}))
    assert view["status"] == "completed", view
    return view


def visited(result: dict[str, Any]) -> list[str]:
    return [block["node_id"] for block in result["blocks"]]


def graph_of(*nodes: dict[str, Any], edges: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "nodes": [{"id": "start", "type": "start"}, *nodes],
        "edges": [{"source": s, "target": t, "outcome": o} for s, t, o in edges],
    }


def linear(count: int) -> dict[str, Any]:
    """start -> `count` log blocks -> success: a graph without a cycle."""
    blocks = [
        {"id": f"b{i}", "type": "block", "block": "log_message", "params": {"message": "x"}}
        for i in range(count)
    ]
    ids = ["start", *(f"b{i}" for i in range(count)), "end"]
    edges = [(a, b, "success") for a, b in itertools.pairwise(ids)]
    return graph_of(*blocks, {"id": "end", "type": "success"}, edges=edges)


def inline(graph: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": "inline", "name": "Inline", "graph": graph, **extra}
