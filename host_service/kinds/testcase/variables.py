"""Which variables a testcase node can see when it first runs, found before the run.

A node's `{var}` must name an input (all of them are set, with their default when
not given), a variable of the testcase, or a variable written by a node that can
run before this node's first visit: a block's outputs under their `outputs` names,
a loop's index and whatever its body writes. On a cycle, a node reached only
through this node does not count: this node's first visit comes before it. A loop
that repeats leads from its body's exits back to the body's start, so what an
earlier iteration writes counts. The check rejects only a `{var}` that is certainly
undefined whenever its node runs; a block whose output name is a placeholder may
write anything, so the nodes after it are not checked.

Reachability is one pass over the graph's strongly connected components (bit sets)
and one dominator tree, so a graph of thousands of nodes is checked in milliseconds.
"""

from collections.abc import Iterator
from functools import reduce
from operator import or_
from typing import Any

import networkx as nx

from host_service.blocks import block_outputs, placeholders
from host_service.errors import field_error
from schemas.testcase import BlockNode, LoopNode, TestcaseGraph, TestcaseNode

Loc = list[str | int]
Problem = dict[str, Any]
Names = frozenset[str] | None  # None: decided by a placeholder at run time
_LISTED = 20  # known variables named in a message, at most


def written_by(node: TestcaseNode) -> Names:
    """The variables a node may write when it runs."""
    if isinstance(node, BlockNode):
        names = block_outputs(node.block, node.params)
        return None if names is None else frozenset(node.outputs.get(n, n) for n in names)
    if isinstance(node, LoopNode):
        inner = [written_by(n) for n in node.graph.nodes]
        body = [names for names in inner if names is not None]
        return None if len(body) < len(inner) else frozenset({node.index_variable}).union(*body)
    return frozenset()


def rename_problems(node: BlockNode, loc: Loc) -> list[Problem]:
    """An `outputs` key the block does not output renames nothing: say so."""
    names = block_outputs(node.block, node.params)
    if names is None:
        return []
    return [
        field_error(
            [*loc, "outputs", key],
            f"block {node.block!r} has no output {key!r}; its outputs: {sorted(names) or 'none'}",
        )
        for key in node.outputs
        if key not in names
    ]


def _flow(graph: TestcaseGraph, repeats: set[str]) -> "nx.DiGraph[str]":
    """The graph's edges; with `repeats`, exits ending in those outcomes lead to the start."""
    flow: nx.DiGraph[str] = nx.DiGraph()
    types = {node.id: node.type for node in graph.nodes}
    flow.add_nodes_from(types)
    start = next(i for i, t in types.items() if t == "start")
    failure_edges = {edge.source for edge in graph.edges if edge.outcome == "failure"}
    for edge in graph.edges:
        if edge.source in types and edge.target in types:
            flow.add_edge(edge.source, edge.target)
    for node_id, node_type in types.items():
        if node_type in ("success", "failure"):
            if node_type in repeats:
                flow.add_edge(node_id, start)
        elif node_type != "start" and node_id not in failure_edges and "failure" in repeats:
            flow.add_edge(node_id, start)  # an implicit failure ends the iteration too
    return flow


def _reach(flow: "nx.DiGraph[str]", bit: dict[str, int]) -> dict[str, int]:
    """Each node's descendants, itself included, as a bit set."""
    dag = nx.condensation(flow)
    by_component: dict[int, int] = {}
    for component in reversed(list(nx.topological_sort(dag))):
        members = reduce(or_, (bit[m] for m in dag.nodes[component]["members"]), 0)
        by_component[component] = reduce(
            or_, (by_component[c] for c in dag.successors(component)), members
        )
    return {node: by_component[dag.graph["mapping"][node]] for node in flow}


def _dominated(flow: "nx.DiGraph[str]", start: str, bit: dict[str, int]) -> dict[str, int]:
    """For each node reachable from the start, itself and the nodes it dominates (every
    path from the start to them passes through it), as a bit set."""
    idom = nx.immediate_dominators(flow, start)
    order = list(nx.bfs_tree(flow, start))  # a node's immediate dominator comes before it
    dominated = {node: bit[node] for node in order}
    for node in reversed(order[1:]):
        dominated[idom[node]] |= dominated[node]
    return dominated


def _repeats(loop: LoopNode) -> frozenset[str]:
    """The outcomes of an iteration after which the loop runs its body again."""
    if loop.iterations == 1:
        return frozenset()
    again = {"failure"} if loop.on_failure == "continue" else set()
    return frozenset(again if loop.until_success else again | {"success"})


def _uses(value: Any, loc: Loc) -> Iterator[tuple[Loc, set[str]]]:
    """Every string under `value` that has placeholders, with its location."""
    if isinstance(value, str):
        names = placeholders(value)
        if names:
            yield loc, names
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _uses(item, [*loc, index])
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _uses(item, [*loc, key])


def variable_problems(
    graph: TestcaseGraph, known: Names, loc: Loc, repeats: frozenset[str] = frozenset()
) -> list[Problem]:
    """Every `{var}` in `graph` that nothing defines before its node first runs.

    `known`: what is defined when the graph starts (None: anything may be); `repeats`:
    the outcomes after which the graph runs again (a loop body).
    """
    if not any(node.type == "start" for node in graph.nodes):
        return []  # graph_problems says why
    flow = _flow(graph, set(repeats))
    start = next(node.id for node in graph.nodes if node.type == "start")
    bit = {node_id: 1 << i for i, node_id in enumerate(flow)}
    ancestors = _reach(flow.reverse(copy=False), bit)
    dominated = _dominated(flow, start, bit)
    reachable = reduce(or_, (bit[n] for n in dominated), 0)
    writes = {node.id: written_by(node) for node in graph.nodes}
    opaque = reduce(or_, (bit[n] for n, names in writes.items() if names is None), 0)
    setters: dict[str, int] = {}  # variable -> the nodes that write it
    for node_id, names in writes.items():
        for name in names or ():
            setters[name] = setters.get(name, 0) | bit[node_id]
    problems: list[Problem] = []
    for index, node in enumerate(graph.nodes):
        here: Loc = [*loc, "nodes", index]
        fields = node.model_dump(exclude={"id", "label", "type", "graph", "outputs"})
        uses = list(_uses(fields, here))
        if known is None or node.id not in dominated or not (uses or isinstance(node, LoopNode)):
            continue  # anything may be defined; not reachable (graph_problems says so); no use
        # Can run before this node's first visit: reachable nodes that lead to it on a
        # path that does not pass through it first (nodes it does not dominate).
        before = ancestors[node.id] & reachable & ~dominated[node.id]
        if before & opaque:
            continue  # a block before it writes variables named at run time
        if isinstance(node, LoopNode):
            inner = _defined(known, setters, before) | {node.index_variable}
            problems += variable_problems(node.graph, inner, [*here, "graph"], _repeats(node))
        for where, used in uses:
            for name in sorted(used):
                if name in known or setters.get(name, 0) & before:
                    continue
                by = [n for n in flow if setters.get(name, 0) & bit[n]]
                msg = _unknown(node.id, name, _defined(known, setters, before), by)
                problems.append(field_error(where, msg))
    return problems


def _defined(known: frozenset[str], setters: dict[str, int], before: int) -> frozenset[str]:
    return known | {name for name, nodes in setters.items() if nodes & before}


def _unknown(node_id: str, name: str, seen: frozenset[str], setters: list[str]) -> str:
    others = ", ".join(repr(i) for i in sorted(setters) if i != node_id)
    if others:
        return f"{node_id!r} uses {{{name}}} before it is set ({others} cannot run before it)"
    if setters:
        return f"{node_id!r} uses {{{name}}} before it is set (only {node_id!r} itself sets it)"
    known = sorted(seen)
    listed = ", ".join(known[:_LISTED]) + (", ..." if len(known) > _LISTED else "")
    return (
        f"{node_id!r} uses {{{name}}}, which no input, variable or earlier node defines "
        f"(known at that node: {listed or 'none'})"
    )
