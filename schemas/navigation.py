"""Navigation trees (screens and the edges between them) and navigation to one of their nodes."""

from collections import Counter
from typing import Literal, Self

from pydantic import ConfigDict, Field, model_validator

from schemas.actions import Action, ActionResult
from schemas.base import Identifier, RequestModel, ResponseModel, StartRequest
from schemas.verifications import Verification, VerificationResult

NodeType = Literal["entry", "screen", "action"]


class NavNode(RequestModel):
    """A place in the UI; `action` nodes are passed through, never rested on."""

    id: Identifier
    label: str = Field(min_length=1, max_length=128, examples=["Settings"])
    type: NodeType = "screen"
    verifications: list[Verification] = Field(
        default_factory=list, description="Checks that all hold when the device is here."
    )


class ReverseEdge(RequestModel):
    """How to go back along an edge; weight and wait default to the forward edge's."""

    actions: list[Action] = Field(min_length=1)
    retry_actions: list[Action] = Field(default_factory=list)
    wait_ms: int | None = Field(strict=True, default=None, ge=0, le=60_000)
    weight: float | None = Field(default=None, gt=0)


class NavEdge(RequestModel):
    """A directed move between two nodes; `reverse` makes the opposite edge too."""

    source: Identifier
    target: Identifier
    actions: list[Action] = Field(min_length=1)
    retry_actions: list[Action] = Field(default_factory=list)
    failure_actions: list[Action] = Field(default_factory=list)
    wait_ms: int = Field(
        strict=True, default=0, ge=0, le=60_000, description="Pause before verifying."
    )
    weight: float = Field(default=1.0, gt=0, description="Cost for the shortest path.")
    reverse: ReverseEdge | None = None

    def reversed(self) -> "NavEdge | None":
        if self.reverse is None:
            return None
        return NavEdge(
            source=self.target,
            target=self.source,
            actions=self.reverse.actions,
            retry_actions=self.reverse.retry_actions,
            wait_ms=self.wait_ms if self.reverse.wait_ms is None else self.reverse.wait_ms,
            weight=self.weight if self.reverse.weight is None else self.reverse.weight,
        )


class GlobalEdge(RequestModel):
    """A move that works from every resting node (a HOME or MENU key)."""

    target: Identifier
    actions: list[Action] = Field(min_length=1)
    retry_actions: list[Action] = Field(default_factory=list)
    wait_ms: int = Field(strict=True, default=0, ge=0, le=60_000)
    weight: float = Field(default=1.0, gt=0)


class NavigationTree(RequestModel):
    # Bounds as a testcase graph's: a UI of thousands of screens is not one tree, and a
    # global edge is expanded from every resting node.
    id: Identifier
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    nodes: list[NavNode] = Field(min_length=1, max_length=2000)
    edges: list[NavEdge] = Field(default_factory=list, max_length=5000)
    global_edges: list[GlobalEdge] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = tree_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def node(self, node_id: str) -> NavNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def all_edges(self) -> list[NavEdge]:
        """Edges with reverse and global edges expanded; per pair the cheapest is kept."""
        edges = list(self.edges) + [e for e in (x.reversed() for x in self.edges) if e]
        resting = [n.id for n in self.nodes if n.type != "action"]
        for glob in self.global_edges:
            # Built without validation, sharing the global edge's (validated) actions:
            # one copy per resting node made a large tree's planner cost gigabytes.
            edges += [
                NavEdge.model_construct(
                    source=src,
                    target=glob.target,
                    actions=glob.actions,
                    retry_actions=glob.retry_actions,
                    failure_actions=[],
                    wait_ms=glob.wait_ms,
                    weight=glob.weight,
                    reverse=None,
                )
                for src in resting
                if src != glob.target
            ]
        cheapest: dict[tuple[str, str], NavEdge] = {}
        for edge in edges:
            known = cheapest.get((edge.source, edge.target))
            if known is None or edge.weight < known.weight:
                cheapest[(edge.source, edge.target)] = edge
        return list(cheapest.values())


def tree_problems(tree: NavigationTree) -> list[str]:
    ids = Counter(n.id for n in tree.nodes)
    labels = Counter(n.label for n in tree.nodes)
    problems = [f"duplicate node id {i!r}" for i in sorted(i for i, n in ids.items() if n > 1)]
    problems += [f"duplicate label {x!r}" for x in sorted(x for x, n in labels.items() if n > 1)]
    entries = [n.id for n in tree.nodes if n.type == "entry"]
    if len(entries) != 1:
        problems.append(f"needs exactly one entry node, has {len(entries)}: {entries}")
    known = set(ids)
    for index, edge in enumerate(tree.edges):
        for end in (edge.source, edge.target):
            if end not in known:
                problems.append(f"edges[{index}] refers to unknown node {end!r}")
        if edge.source == edge.target:
            problems.append(f"edges[{index}] leads from {edge.source!r} to itself")
    types = {n.id: n.type for n in tree.nodes}
    for index, glob in enumerate(tree.global_edges):
        if types.get(glob.target, "action") == "action":
            problems.append(f"global_edges[{index}] must lead to a known resting node")
    sources = {e.source for e in tree.edges} | {e.target for e in tree.edges if e.reverse}
    for node in tree.nodes:
        if node.type == "action" and node.id not in sources:
            problems.append(f"action node {node.id!r} needs an edge out of it")
    return problems


class NavigationRequest(StartRequest):
    """Navigate a device to a node of a library tree (the tree is the path's `tree_id`)."""

    target_node_id: Identifier | None = None
    target_node_label: str | None = Field(default=None, min_length=1, max_length=128)
    max_replans: int = Field(
        strict=True,
        default=3,
        ge=0,
        le=10,
        description="How often to locate the device and plan again.",
    )
    tree: NavigationTree | None = Field(
        default=None,
        description="A tree given inline instead of the library's; its id must be the path's.",
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"device_id": "tv-1", "target_node_id": "settings_display_resolution"},
                {"device_id": "tv-1", "target_node_label": "TV Guide", "max_replans": 2},
            ]
        },
    )

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.target_node_id is None) == (self.target_node_label is None):
            raise ValueError("give exactly one of target_node_id and target_node_label")
        return self


class PathNode(ResponseModel):
    id: str
    label: str


class NavigationStep(ResponseModel):
    """One edge taken: its actions, the checks of the node it leads to, where it landed."""

    index: int
    source: PathNode
    target: PathNode
    success: bool
    retried: bool = False
    actions: list[ActionResult] = Field(default_factory=list)
    verifications: list[VerificationResult] = Field(default_factory=list)
    landed_on: str | None = Field(default=None, description="Node located after a failed step.")
    duration_ms: float
    message: str = ""


StartFoundBy = Literal["tracked", "verified_target", "verified_entry", "located", "global_edge"]


class NavigationResult(ResponseModel):
    kind: Literal["navigation"] = "navigation"
    success: bool
    tree_id: str
    target: PathNode
    start: PathNode | None = None
    start_found_by: StartFoundBy | None = None
    path: list[PathNode] = Field(default_factory=list, description="Nodes the device went through.")
    plans: list[list[str]] = Field(default_factory=list, description="Every planned node path.")
    steps: list[NavigationStep] = Field(default_factory=list)
    already_at_target: bool = False
    replans: int = 0
    final_node: PathNode | None = None
    message: str = ""
