"""A testcase is checked before it starts: every problem in one 422, 404 for unknown ids."""

from tests.conftest import LIBRARY, HostFactory, fake
from tests.host_service.kinds.testcase.graphs import RUN, inline


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
            RUN, json={"device_id": "tv-1", "testcase": inline(graph), "inputs": {"x": 1}}
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


async def test_testcase_for_another_device_is_422(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")], library_path=LIBRARY) as host:
        response = await host.client.post(
            RUN, json={"device_id": "d1", "testcase_id": "check_resolution"}
        )
        assert response.status_code == 422
        locs = [tuple(d["loc"][:3]) for d in response.json()["details"]]
        assert ("body", "testcase", "graph") in locs  # the action node's HOME key
        assert ("body", "tree", "simtv") in locs  # the tree it navigates
