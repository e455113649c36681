"""Planner: a navigation tree as a weighted networkx graph, and the paths through it."""

from typing import Any

import networkx as nx

from host_service.errors import NotFoundError
from schemas.navigation import NavEdge, NavigationTree, NavNode


class Planner:
    def __init__(self, tree: NavigationTree) -> None:
        self.tree = tree
        self.nodes = {node.id: node for node in tree.nodes}
        self.entry = next(node for node in tree.nodes if node.type == "entry")
        self.graph: nx.DiGraph[str] = nx.DiGraph()
        self.graph.add_nodes_from(self.nodes)
        for edge in tree.all_edges():
            self.graph.add_edge(edge.source, edge.target, weight=edge.weight, edge=edge)
        # Nearness for locating: global edges would make every node a neighbour.
        self.nearness: nx.Graph[str] = nx.Graph()
        self.nearness.add_nodes_from(self.nodes)
        self.nearness.add_edges_from((e.source, e.target) for e in tree.edges)

    def resolve(self, node_id: str | None, label: str | None) -> NavNode:
        """The node with this id or label; 404 naming the tree when there is none."""
        for node in self.tree.nodes:
            if node.id == node_id or (node_id is None and node.label == label):
                return node
        wanted = f"node {node_id!r}" if node_id is not None else f"node labelled {label!r}"
        raise NotFoundError(
            f"tree {self.tree.id!r} has no {wanted}",
            code="node_not_found",
            details={"tree_id": self.tree.id, "node_id": node_id, "label": label},
        )

    def edge(self, source: str, target: str) -> NavEdge:
        edge: NavEdge = self.graph.edges[source, target]["edge"]
        return edge

    def plan(self, source: str, target: str) -> list[str] | None:
        """The cheapest node path, or None when the target cannot be reached.

        Action nodes have side effects (a recording scheduled, an app closed), so a
        path only goes through one when it is the target itself; navigating to an
        action node continues along its cheapest edge out, to a node it can rest on.
        """

        def allowed(node_id: Any) -> bool:
            return bool(self.nodes[node_id].type != "action" or node_id == target)

        view = nx.subgraph_view(self.graph, filter_node=allowed)
        try:
            path: list[str] = nx.shortest_path(view, source, target, weight="weight")
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None
        if self.nodes[target].type == "action":
            exits = [
                (data["weight"], next_id)
                for _, next_id, data in self.graph.out_edges(target, data=True)
                if self.nodes[next_id].type != "action"
            ]
            if not exits:
                return None
            path.append(min(exits)[1])
        return path

    def around(self, node_id: str) -> list[NavNode]:
        """Nodes the device can rest on and be recognised at, nearest to `node_id` first."""
        distances = nx.single_source_shortest_path_length(self.nearness, node_id)
        far = len(self.nodes) + 1
        ranked = sorted(self.nodes.values(), key=lambda n: (distances.get(n.id, far), n.id))
        return [n for n in ranked if n.type != "action" and n.verifications]

    def global_edge_into(self, node_id: str) -> NavEdge | None:
        for glob in self.tree.global_edges:
            if glob.target == node_id:
                fields = glob.model_dump(exclude={"target"})
                return NavEdge(source=node_id, target=node_id, **fields)
        return None
