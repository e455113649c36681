"""One edge of a path: its actions, a wait, the checks of the node it leads to, a retry."""

import time

from host_service.kinds.action.executor import run_action
from host_service.kinds.verification.executor import run_verification
from host_service.steps.context import RunContext
from schemas import Action, ActionCategory, ActionResult, VerificationResult
from schemas.navigation import NavEdge, NavigationStep, NavNode, PathNode

# A probe asks "is the device here?" of a device at rest: it need not wait long.
PROBE_TIMEOUT_S = 1.0


def path_node(node: NavNode) -> PathNode:
    return PathNode(id=node.id, label=node.label)


def verify_node(
    ctx: RunContext, node: NavNode, probe: bool = False
) -> tuple[bool, list[VerificationResult]]:
    """Run the node's checks in order, stopping at the first that fails."""
    results: list[VerificationResult] = []
    for index, item in enumerate(node.verifications):
        if probe and item.timeout_s > PROBE_TIMEOUT_S:
            item = item.model_copy(update={"timeout_s": PROBE_TIMEOUT_S})
        result = run_verification(ctx, item, index)
        results.append(result)
        if not result.success:
            return False, results
    return True, results


def run_actions(
    ctx: RunContext, actions: list[Action], category: ActionCategory, into: list[ActionResult]
) -> bool:
    """Run in order; stop at the first failure unless it may be passed over."""
    passed = True
    for index, action in enumerate(actions):
        result = run_action(ctx, action, index, category)
        into.append(result)
        if not result.success:
            passed = False
            if category is ActionCategory.failure or action.continue_on_fail:
                continue
            break
    return passed


def take_edge(
    ctx: RunContext, edge: NavEdge, source: NavNode, target: NavNode, index: int
) -> NavigationStep:
    started = time.monotonic()
    actions: list[ActionResult] = []
    checks: list[VerificationResult] = []
    ok = run_actions(ctx, edge.actions, ActionCategory.main, actions)
    if ok:
        ctx.token.wait(edge.wait_ms / 1000)
        ok, checks = verify_node(ctx, target)
    retried = False
    if not ok and edge.retry_actions:
        retried = True
        ctx.log.info("step %s -> %s failed; running its retry actions", source.id, target.id)
        if run_actions(ctx, edge.retry_actions, ActionCategory.retry, actions):
            ctx.token.wait(edge.wait_ms / 1000)
            ok, again = verify_node(ctx, target)
            checks += again
    if not ok and edge.failure_actions:
        run_actions(ctx, edge.failure_actions, ActionCategory.failure, actions)
    message = ""
    if not ok:
        failed = [a.message for a in actions if not a.success] + [
            c.message for c in checks if not c.success
        ]
        message = f"{source.id} -> {target.id} failed: {'; '.join(failed)}"
    return NavigationStep(
        index=index,
        source=path_node(source),
        target=path_node(target),
        success=ok,
        retried=retried,
        actions=actions,
        verifications=checks,
        duration_ms=(time.monotonic() - started) * 1000,
        message=message,
    )
