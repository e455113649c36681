"""Checks of a testcase before it runs: graph shape, library references, variables.

Every problem is collected (never the first only) as `(loc, message)`, so a 422
or a library problem lists all of them at once.
"""

from collections.abc import Collection, Iterator
from typing import Any

import networkx as nx

from host_service.library.catalog import DefinitionLibrary
from host_service.testcases.variables import references
from schemas.navigation import NavigationTree
from schemas.testcase import (
    BlockNode,
    LoopNode,
    NavigationNode,
    TestcaseDefinition,
    TestcaseGraph,
    TestcaseNode,
)

Loc = list[str | int]
Problem = tuple[Loc, str]
TERMINALS = ("success", "failure")
EXIT = "<implicit failure>"


def walk(graph: TestcaseGraph, loc: Loc) -> Iterator[tuple[TestcaseNode, Loc]]:
    """Every node with its location, loop bodies included."""
    for index, node in enumerate(graph.nodes):
        yield node, [*loc, "nodes", index]
        if isinstance(node, LoopNode):
            yield from walk(node.graph, [*loc, "nodes", index, "graph"])


def graph_problems(graph: TestcaseGraph, loc: Loc) -> list[Problem]:
    problems: list[Problem] = []
    ids = [n.id for n in graph.nodes]
    types = {n.id: n.type for n in graph.nodes}
    for node_id in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(([*loc, "nodes"], f"duplicate node id {node_id!r}"))
    starts = [n.id for n in graph.nodes if n.type == "start"]
    if len(starts) != 1:
        problems.append(([*loc, "nodes"], f"needs exactly one start node, has {len(starts)}"))
    digraph: nx.DiGraph[str] = nx.DiGraph()
    digraph.add_nodes_from([*ids, EXIT])
    taken: set[tuple[str, str]] = set()
    for index, edge in enumerate(graph.edges):
        here: Loc = [*loc, "edges", index]
        unknown = [end for end in (edge.source, edge.target) if end not in types]
        for end in unknown:
            problems.append((here, f"unknown node {end!r}"))
        if unknown:
            continue
        if types[edge.source] in TERMINALS:
            problems.append((here, f"{edge.source!r} is a terminal node: no edge may leave it"))
        if types[edge.target] == "start":
            problems.append((here, "no edge may lead into the start node"))
        if types[edge.source] == "start" and edge.on == "failure":
            problems.append((here, "the start node has only a success edge"))
        if (edge.source, edge.on) in taken:
            problems.append((here, f"{edge.source!r} has two {edge.on} edges"))
        taken.add((edge.source, edge.on))
        digraph.add_edge(edge.source, edge.target)
    for node_id, node_type in types.items():
        if node_type in TERMINALS:
            continue
        if (node_id, "success") not in taken:
            problems.append(([*loc, "nodes"], f"{node_id!r} has no success edge"))
        if (node_id, "failure") not in taken:
            digraph.add_edge(node_id, EXIT)  # a missing failure edge is an implicit failure
    if len(starts) == 1 and starts[0] in digraph:
        reachable = nx.descendants(digraph, starts[0]) | {starts[0]}
        exits = {EXIT} | {i for i, t in types.items() if t in TERMINALS}
        can_end = set().union(*(nx.ancestors(digraph, x) | {x} for x in exits))
        for node_id in ids:
            if node_id not in reachable:
                problems.append(([*loc, "nodes"], f"{node_id!r} is not reachable from the start"))
            elif node_id not in can_end:
                problems.append(
                    ([*loc, "nodes"], f"no terminal node is reachable from {node_id!r}")
                )
    for index, node in enumerate(graph.nodes):
        if isinstance(node, LoopNode):
            problems += graph_problems(node.graph, [*loc, "nodes", index, "graph"])
    return problems


def _target_problems(node: NavigationNode, tree: NavigationTree) -> str | None:
    target = node.target_node_id
    if target is not None and not references(target) and tree.node(target) is None:
        return f"tree {tree.id!r} has no node {target!r}"
    label = node.target_node_label
    if label is not None and not references(label) and all(n.label != label for n in tree.nodes):
        return f"tree {tree.id!r} has no node labelled {label!r}"
    return None


def testcase_problems(
    testcase: TestcaseDefinition,
    library: DefinitionLibrary,
    blocks: Collection[str] | None,
    loc: Loc,
) -> list[Problem]:
    """Graph shape, then trees, blocks and variables each node refers to."""
    problems = graph_problems(testcase.graph, [*loc, "graph"])
    names = [i.name for i in testcase.inputs]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(([*loc, "inputs"], f"duplicate input {name!r}"))
    known = set(names) | set(testcase.variables)
    for node, _ in walk(testcase.graph, []):
        if isinstance(node, BlockNode):
            known |= set(node.outputs.values())
        if isinstance(node, LoopNode):
            known.add(node.index_variable)
    for node, here in walk(testcase.graph, [*loc, "graph"]):
        if isinstance(node, NavigationNode):
            if node.tree_id not in library.trees:
                problems.append(([*here, "tree_id"], f"no tree {node.tree_id!r} in the library"))
            else:
                problem = _target_problems(node, library.trees.get(node.tree_id))
                if problem:
                    problems.append(([*here, "target_node_id"], problem))
        if isinstance(node, BlockNode) and blocks is not None and node.block not in blocks:
            problems.append(
                ([*here, "block"], f"unknown block {node.block!r}; known: {sorted(blocks)}")
            )
        params: Any = node.model_dump(exclude={"id", "label", "type", "graph", "outputs"})
        for name in sorted(references(params) - known):
            problems.append((here, f"{node.id!r} refers to an unknown variable {{{name}}}"))
    for name in sorted(set(testcase.outputs) - known):
        problems.append(([*loc, "outputs"], f"output {name!r} is not a variable of the testcase"))
    return problems
