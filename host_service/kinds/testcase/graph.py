"""Checks of a testcase before it runs: graph shape, library references, variables.

Every problem is collected (never the first only) as a 422 detail `{loc, msg}`, so
a start request or a library problem lists all of them at once.
"""

from collections.abc import Iterator

import networkx as nx

from host_service.blocks import block_problems, placeholders
from host_service.errors import field_error
from host_service.kinds.testcase.variables import (
    Loc,
    Problem,
    rename_problems,
    variable_problems,
    written_by,
)
from host_service.library.catalog import DefinitionLibrary
from schemas.navigation import NavigationTree
from schemas.testcase import (
    BlockNode,
    LoopNode,
    NavigationNode,
    TestcaseDefinition,
    TestcaseGraph,
    TestcaseNode,
)

# The node types a walk of a graph ends on.
TERMINALS = frozenset({"success", "failure"})
EXIT = "<implicit failure>"


def walk(graph: TestcaseGraph, loc: Loc) -> Iterator[tuple[TestcaseNode, Loc]]:
    """Every node with its location, loop bodies included."""
    for index, node in enumerate(graph.nodes):
        yield node, [*loc, "nodes", index]
        if isinstance(node, LoopNode):
            yield from walk(node.graph, [*loc, "nodes", index, "graph"])


def graph_problems(graph: TestcaseGraph, loc: Loc) -> list[Problem]:
    problems: list[Problem] = []

    def add(where: Loc, msg: str) -> None:
        problems.append(field_error(where, msg))

    ids = [n.id for n in graph.nodes]
    types = {n.id: n.type for n in graph.nodes}
    at = {n.id: [*loc, "nodes", i] for i, n in enumerate(graph.nodes)}
    for node_id in sorted({i for i in ids if ids.count(i) > 1}):
        add([*loc, "nodes"], f"duplicate node id {node_id!r}")
    starts = [n.id for n in graph.nodes if n.type == "start"]
    if len(starts) != 1:
        add([*loc, "nodes"], f"needs exactly one start node, has {len(starts)}")
    digraph: nx.DiGraph[str] = nx.DiGraph()
    digraph.add_nodes_from([*ids, EXIT])
    taken: set[tuple[str, str]] = set()
    for index, edge in enumerate(graph.edges):
        here: Loc = [*loc, "edges", index]
        unknown = [end for end in (edge.source, edge.target) if end not in types]
        for end in unknown:
            add(here, f"unknown node {end!r}")
        if unknown:
            continue
        if types[edge.source] in TERMINALS:
            add(here, f"{edge.source!r} is a terminal node: no edge may leave it")
        if types[edge.target] == "start":
            add(here, "no edge may lead into the start node")
        if types[edge.source] == "start" and edge.outcome == "failure":
            add(here, "the start node has only a success edge")
        if (edge.source, edge.outcome) in taken:
            add(here, f"{edge.source!r} has two {edge.outcome} edges")
        taken.add((edge.source, edge.outcome))
        digraph.add_edge(edge.source, edge.target)
    for node_id, node_type in types.items():
        if node_type in TERMINALS:
            continue
        if (node_id, "success") not in taken:
            add(at[node_id], f"{node_id!r} has no success edge")
        if (node_id, "failure") not in taken:
            digraph.add_edge(node_id, EXIT)  # a missing failure edge is an implicit failure
    if starts:  # with several starts, still report what none of them reaches
        reachable = set(starts).union(*(nx.descendants(digraph, s) for s in starts))
        exits = {EXIT} | {i for i, t in types.items() if t in TERMINALS}
        can_end = set().union(*(nx.ancestors(digraph, x) | {x} for x in exits))
        for node_id in dict.fromkeys(ids):
            if node_id not in reachable:
                add(at[node_id], f"{node_id!r} is not reachable from the start")
            elif node_id not in can_end:
                add(at[node_id], f"no terminal node is reachable from {node_id!r}")
    for index, node in enumerate(graph.nodes):
        if isinstance(node, LoopNode):
            problems += graph_problems(node.graph, [*loc, "nodes", index, "graph"])
    return problems


def _target_problems(node: NavigationNode, tree: NavigationTree) -> str | None:
    target = node.target_node_id
    if target is not None and not placeholders(target) and tree.node(target) is None:
        return f"tree {tree.id!r} has no node {target!r}"
    label = node.target_node_label
    if label is not None and not placeholders(label) and all(n.label != label for n in tree.nodes):
        return f"tree {tree.id!r} has no node labelled {label!r}"
    return None


def testcase_problems(
    testcase: TestcaseDefinition, library: DefinitionLibrary, loc: Loc
) -> list[Problem]:
    """Graph shape, then the trees, blocks and variables each node refers to."""
    problems = graph_problems(testcase.graph, [*loc, "graph"])
    names = [i.name for i in testcase.inputs]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(field_error([*loc, "inputs"], f"duplicate input {name!r}"))
    known = frozenset(names) | set(testcase.variables)
    problems += variable_problems(testcase.graph, known, [*loc, "graph"])
    for node, here in walk(testcase.graph, [*loc, "graph"]):
        if isinstance(node, NavigationNode):
            if node.tree_id not in library.trees:
                msg = f"no tree {node.tree_id!r} in the library"
                problems.append(field_error([*here, "tree_id"], msg))
            else:
                problem = _target_problems(node, library.trees.get(node.tree_id))
                if problem:
                    problems.append(field_error([*here, "target_node_id"], problem))
        if isinstance(node, BlockNode):
            problems += block_problems(node.block, node.params, here)
            problems += rename_problems(node, here)
    written = [written_by(node) for node in testcase.graph.nodes]
    if all(names is not None for names in written):  # else names are known at run time
        variables = known.union(*(names for names in written if names is not None))
        for name in sorted(set(testcase.outputs) - variables):
            msg = f"output {name!r} is not a variable of the testcase"
            problems.append(field_error([*loc, "outputs"], msg))
    return problems
