"""Navigation to a node of a library tree: plan, walk, verify, recover."""

from dataclasses import dataclass
from typing import Any

from host_service.drivers import Device
from host_service.errors import field_error
from host_service.kinds.base import Executor
from host_service.kinds.navigation import Navigator, Planner
from host_service.steps.checks import (
    action_problems,
    raise_if_problems,
    verification_problems,
)
from host_service.steps.context import RunContext
from schemas import ExecutionKind
from schemas.navigation import NavigationRequest, NavigationResult, NavigationTree, NavNode


@dataclass(frozen=True)
class NavigationPlan:
    planner: Planner
    target: NavNode
    max_replans: int


def tree_problems_for(device: Device, tree: NavigationTree) -> list[dict[str, Any]]:
    """Commands and checks of the tree that this device's driver does not accept."""
    loc: list[str | int] = ["tree", tree.id]
    problems = []
    for index, node in enumerate(tree.nodes):
        problems += verification_problems(
            node.verifications, device, [*loc, "nodes", index, "verifications"]
        )
    for index, edge in enumerate(tree.edges):
        for group in ("actions", "retry_actions", "failure_actions"):
            problems += action_problems(getattr(edge, group), device, [*loc, "edges", index, group])
        if edge.reverse is not None:
            problems += action_problems(
                edge.reverse.actions, device, [*loc, "edges", index, "reverse", "actions"]
            )
    for index, glob in enumerate(tree.global_edges):
        problems += action_problems(glob.actions, device, [*loc, "global_edges", index, "actions"])
    return problems


class NavigationExecutor(Executor[NavigationRequest, NavigationPlan]):
    kind = ExecutionKind.navigation
    default_timeout_s = 60.0
    max_timeout_s = 600.0

    def prepare(
        self, request: NavigationRequest, device: Device, path: dict[str, str]
    ) -> NavigationPlan:
        if request.tree is not None:
            if request.tree.id != path["tree_id"]:
                msg = f"must be the path's tree_id {path['tree_id']!r}"
                raise_if_problems([field_error(["tree", "id"], msg)])
            planner = Planner(request.tree)
            problems = tree_problems_for(device, request.tree)
        else:
            trees = self.env.library.trees
            planner = trees.derived(path["tree_id"], Planner, Planner)  # 404 for an unknown tree
            problems = trees.derived(
                planner.tree.id, ("device", device.id), lambda tree: tree_problems_for(device, tree)
            )
        target = planner.resolve(request.target_node_id, request.target_node_label)
        raise_if_problems(problems)
        return NavigationPlan(planner, target, request.max_replans)

    def run(self, ctx: RunContext, plan: NavigationPlan) -> NavigationResult:
        navigator = Navigator(ctx, plan.planner, live=True)
        return navigator.navigate(plan.target, plan.max_replans)
