"""The largest graph the schema accepts runs to its end under the default visit cap.

A valid linear testcase of 2,000 nodes (the schema's maximum) stopped at the default
`max_visited_blocks` of 1,000, saying that "the graph seems to cycle".
"""

from tests.conftest import LIBRARY, HostFactory
from tests.host_service.kinds.testcase.graphs import inline, linear, run


async def test_a_linear_graph_of_2000_nodes_finishes(host_factory: HostFactory) -> None:
    graph = linear(1998)  # with start and success: the schema's 2,000 nodes
    assert len(graph["nodes"]) == 2000
    async with host_factory(library_path=LIBRARY) as host:
        view = await run(host, testcase=inline(graph), timeout_s=120)
        assert view["result"]["success"] is True, view["result"]["message"]
        assert view["result"]["visited"] == 1998
