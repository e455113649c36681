"""One edge of a path: its actions, a wait, the checks of the node it leads to, a retry."""

import time

from host_service.steps.batch import ActionLists, run_batch
from host_service.steps.context import RunContext
from host_service.steps.verification import run_verification
from schemas import VerificationResult
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


def take_edge(
    ctx: RunContext, edge: NavEdge, source: NavNode, target: NavNode, index: int
) -> NavigationStep:
    """The edge's actions as a batch whose lists each end by waiting and verifying the target."""
    started = time.monotonic()
    checks: list[VerificationResult] = []

    def arrived() -> bool:
        ctx.token.wait(edge.wait_ms / 1000)
        ok, results = verify_node(ctx, target)
        checks.extend(results)
        return ok

    lists = ActionLists(edge.actions, edge.retry_actions, edge.failure_actions)
    outcome = run_batch(ctx, lists, then=arrived)
    if outcome.retry_success is not None:
        ctx.log.info("step %s -> %s needed its retry actions", source.id, target.id)
    ok, actions = outcome.success, outcome.results
    retried = outcome.retry_success is not None
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
