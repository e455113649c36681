"""What each kind of testcase node does; each returns a `NodeOutcome`.

Params are filled from the variables first. A value that turns out wrong only
once filled (a key the remote lacks) is a definition fault: `BlockError`, so the
execution ends in `error` rather than passing for a failed check.
"""

from dataclasses import dataclass, field
from typing import Any

from host_service.blocks import BlockError, SubstitutionError, run_block, substitute
from host_service.drivers.params import param_problems
from host_service.errors import NotFoundError
from host_service.kinds.navigation import Navigator, Planner
from host_service.library import DefinitionLibrary
from host_service.steps.batch import ActionLists, run_batch
from host_service.steps.context import RunContext
from host_service.steps.verification import run_verification
from schemas import Action, PassCondition, Verification
from schemas.testcase import ActionNode, BlockNode, NavigationNode, VerificationNode


@dataclass
class NodeOutcome:
    success: bool
    message: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def fill(ctx: RunContext, node_id: str, value: Any, variables: dict[str, Any]) -> Any:
    try:
        return substitute(value, variables, ctx.limits, f"node {node_id}: its params")
    except SubstitutionError as exc:
        raise BlockError("unknown_variable", f"node {node_id}: {exc}") from exc


def _filled_actions(
    ctx: RunContext, node_id: str, actions: list[Action], variables: dict[str, Any]
) -> list[Action]:
    specs = {spec.command: spec for spec in ctx.device.driver.commands()}
    filled = []
    for action in actions:
        params = fill(ctx, node_id, action.params, variables)
        problems = param_problems(specs[action.command].params, params)
        if problems:
            listed = "; ".join(f"{name}: {msg}" for name, msg in problems)
            raise BlockError("invalid_params", f"node {node_id}: {action.command} {listed}")
        filled.append(action.model_copy(update={"params": params}))
    return filled


def run_action_node(ctx: RunContext, node: ActionNode, variables: dict[str, Any]) -> NodeOutcome:
    """The action-batch rule (steps/batch.py) on the node's lists, params filled first."""
    lists = ActionLists(
        _filled_actions(ctx, node.id, node.actions, variables),
        _filled_actions(ctx, node.id, node.retry_actions, variables),
        _filled_actions(ctx, node.id, node.failure_actions, variables),
    )
    outcome = run_batch(ctx, lists)
    return NodeOutcome(
        outcome.success,
        "" if outcome.success else "; ".join(outcome.failures()),
        details={"actions": [r.model_dump(mode="json") for r in outcome.results]},
    )


def run_verification_node(
    ctx: RunContext, node: VerificationNode, variables: dict[str, Any]
) -> NodeOutcome:
    results = []
    for index, item in enumerate(node.verifications):
        filled = Verification.model_validate(
            {**item.model_dump(), "params": fill(ctx, node.id, item.params, variables)}
        )
        results.append(run_verification(ctx, filled, index))
    passed = sum(1 for r in results if r.success)
    needed = len(results) if node.pass_condition is PassCondition.all else 1
    ok = passed >= needed
    failed = [r.message for r in results if not r.success]
    return NodeOutcome(
        ok,
        f"{passed}/{len(results)} checks passed" + ("" if ok else f": {'; '.join(failed)}"),
        details={"verifications": [r.model_dump(mode="json") for r in results]},
    )


def run_navigation_node(
    ctx: RunContext, node: NavigationNode, variables: dict[str, Any], library: DefinitionLibrary
) -> NodeOutcome:
    planner = library.trees.derived(node.tree_id, Planner, Planner)
    target_id = fill(ctx, node.id, node.target_node_id, variables)
    label = fill(ctx, node.id, node.target_node_label, variables)
    try:
        target = planner.resolve(target_id, label)
    except NotFoundError as exc:
        raise BlockError("node_not_found", f"node {node.id}: {exc.message}") from exc
    result = Navigator(ctx, planner, live=False).navigate(target, node.max_replans)
    return NodeOutcome(result.success, result.message, details=result.model_dump(mode="json"))


def run_block_node(ctx: RunContext, node: BlockNode, variables: dict[str, Any]) -> NodeOutcome:
    outcome = run_block(node.block, node.params, variables, ctx)
    outputs = {node.outputs.get(name, name): value for name, value in outcome.outputs.items()}
    return NodeOutcome(outcome.success, outcome.message, outputs=outputs)
