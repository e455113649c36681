"""Small inline testcases for the tests, and a helper that runs one to completion."""

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


def inline(graph: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": "inline", "name": "Inline", "graph": graph, **extra}
