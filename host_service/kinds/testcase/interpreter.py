"""Interpreter: walks a testcase graph from its start node to a terminal node.

Each visited node runs, then the edge labelled with its outcome is taken; a node
without a failure edge ends the run as failed (an implicit failure). Loops run
their nested graph `iterations` times. Visits are capped by `max_visited_blocks`
so a graph that cycles for ever ends as a failure instead of running to its
deadline; by default the cap lets every node run once (`visits_once_through`),
so a graph without a cycle always finishes. With `live`, every node is a step of
the execution (`steps`, and `current_step_id` for the node running now). A stopped
run raises `ExecutionStopped` carrying its result so far: the nodes visited, the one
it stopped in last.
"""

import contextlib
import re
import time
from collections.abc import Callable
from typing import Any

from host_service.blocks import BlockError, SubstitutionError, render, substitute
from host_service.kinds.testcase.graph import TERMINALS
from host_service.kinds.testcase.nodes import (
    NodeOutcome,
    run_action_node,
    run_block_node,
    run_navigation_node,
    run_verification_node,
)
from host_service.library import DefinitionLibrary
from host_service.runtime.cancel import ExecutionStopped, StopReason
from host_service.runtime.limits import LimitExceededError
from host_service.steps.context import RunContext
from schemas.testcase import (
    ActionNode,
    BlockNode,
    BlockRun,
    LoopNode,
    NavigationNode,
    TestcaseDefinition,
    TestcaseGraph,
    TestcaseNode,
    TestcaseResult,
    VerificationNode,
)

MIN_VISIT_CAP = 1_000  # the default cap, at least: room for retry cycles in small graphs


class VisitCapError(Exception):
    pass


def visits_once_through(graph: TestcaseGraph) -> int:
    """The visits of a run that takes every node once, a loop's body once per iteration:
    the most a graph without a cycle can make."""
    total = 0
    for node in graph.nodes:
        if isinstance(node, LoopNode):
            total += 1 + node.iterations * visits_once_through(node.graph)
        elif node.type != "start" and node.type not in TERMINALS:
            total += 1
    return total


class Interpreter:
    def __init__(
        self,
        ctx: RunContext,
        library: DefinitionLibrary,
        testcase: TestcaseDefinition,
        variables: dict[str, Any],
        live: bool,
        note: Callable[[str], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.library = library
        self.testcase = testcase
        self.variables = dict(variables)
        self.live = live
        self.note = note  # without live steps: tells the caller which node runs now
        self.blocks: list[BlockRun] = []
        self.visited = 0
        self.cap = testcase.max_visited_blocks or max(
            MIN_VISIT_CAP, visits_once_through(testcase.graph)
        )
        self.cycled: str | None = None  # a node that ran again in one walk of its graph
        self._steps: list[str] = []
        self._done: set[str] = set()  # steps run at least once, for progress

    def run(self) -> TestcaseResult:
        for name, value in self.variables.items():
            self.ctx.limits.value(f"variable {name!r}", value)
        if self.live:
            steps = self._declare(self.testcase.graph, "")
            self._steps = [step_id for step_id, _ in steps]
            self.ctx.declare_steps(steps)
            self.ctx.report.so_far(self._hung)
        try:
            success, terminal, message = self.run_graph(self.testcase.graph, "")
        except VisitCapError as exc:
            success, terminal, message = False, None, str(exc)
        except ExecutionStopped as stop:
            partial = self._result(False, None, f"stopped: {stop.reason.value}")
            raise ExecutionStopped(stop.reason, partial) from None
        return self._result(success, terminal, message)

    def _hung(self, reason: StopReason) -> TestcaseResult:
        """A driver call ignored the stop: the nodes run so far all the same."""
        return self._result(False, None, f"stopped: {reason.value}; its driver call did not return")

    def _result(self, success: bool, terminal: str | None, message: str) -> TestcaseResult:
        outputs = {
            name: self.variables.get(name) for name in self.testcase.outputs or self.variables
        }
        return TestcaseResult(
            success=success,
            testcase_id=self.testcase.id,
            terminal_node_id=terminal,
            message=message,
            visited=self.visited,
            blocks=self.blocks,
            variables=self.variables,
            outputs=outputs,
        )

    def _declare(self, graph: TestcaseGraph, scope: str) -> list[tuple[str, str]]:
        steps = []
        for node in graph.nodes:
            if node.type != "start" and node.type not in TERMINALS:  # the ones that run
                steps.append((f"{scope}{node.id}", node.label or f"{node.type} {node.id}"))
            if isinstance(node, LoopNode):
                steps += self._declare(node.graph, f"{scope}{node.id}/")
        return steps

    def run_graph(self, graph: TestcaseGraph, scope: str) -> tuple[bool, str | None, str]:
        """Walk one graph: `(passed, terminal node id or None if implicit, message)`."""
        nodes = {node.id: node for node in graph.nodes}
        edges = {(edge.source, edge.outcome): edge.target for edge in graph.edges}
        start = next(node for node in graph.nodes if node.type == "start")
        node: TestcaseNode = nodes[edges[(start.id, "success")]]
        seen: set[str] = set()
        while node.type not in TERMINALS:
            if node.id in seen and self.cycled is None:
                self.cycled = node.id
            seen.add(node.id)
            outcome = self.visit(node, scope)
            target = edges.get((node.id, "success" if outcome.success else "failure"))
            if target is None:
                return False, None, f"{node.id} failed: {outcome.message}"
            node = nodes[target]
        message = getattr(node, "message", "")
        with contextlib.suppress(SubstitutionError):  # a message is for people: show it as is
            message = render(substitute(message, self.variables, self.ctx.limits, node.id))
        return node.type == "success", node.id, message

    def visit(self, node: TestcaseNode, scope: str) -> NodeOutcome:
        self.ctx.token.check()
        if self.visited >= self.cap:
            why = (
                f"node {self.cycled!r} ran again: the graph cycles"
                if self.cycled is not None
                else "the graph needs more visits than that"
            )
            raise VisitCapError(
                f"stopped after {self.cap} visited blocks (max_visited_blocks): {why}"
            )
        self.visited += 1
        # Loop bodies are one step per node, showing the latest iteration.
        step_id = re.sub(r"#\d+/", "/", scope) + node.id
        label = node.label or f"{node.type} {node.id}"
        with contextlib.suppress(SubstitutionError):  # "{resolution} is listed" -> "8K is listed"
            label = render(substitute(label, self.variables, self.ctx.limits, node.id))
        started = time.monotonic()
        if self.live:
            self._done.add(step_id)
            self.ctx.progress(len(self._done) - 1, len(self._steps), label)
            self.ctx.step_running(step_id, label)
        elif self.note is not None:
            self.note(label)
        try:
            outcome = self._run(node, scope)
        except (BlockError, LimitExceededError) as exc:
            if self.live:
                self.ctx.step_done(step_id, started, False, str(exc))
            raise
        except ExecutionStopped as exc:
            # A stop leaves the step running: the registry cancels it, as in every kind.
            # The result so far shows where it stopped.
            self._record(node, scope, label, started, NodeOutcome(False, str(exc)))
            raise
        self.variables.update(outcome.outputs)
        if self.live:
            self.ctx.step_done(step_id, started, outcome.success, outcome.message)
        self.ctx.log.info(
            "block %s %s: %s", node.id, "passed" if outcome.success else "failed", outcome.message
        )
        self._record(node, scope, label, started, outcome)
        return outcome

    def _record(
        self, node: TestcaseNode, scope: str, label: str, started: float, outcome: NodeOutcome
    ) -> None:
        self.blocks.append(
            BlockRun(
                node_id=f"{scope.replace('#', '/')}{node.id}",
                type=node.type,
                label=label,
                success=outcome.success,
                duration_ms=(time.monotonic() - started) * 1000,
                message=outcome.message,
                outputs=outcome.outputs,
                details=outcome.details,
            )
        )

    def _run(self, node: TestcaseNode, scope: str) -> NodeOutcome:
        if isinstance(node, ActionNode):
            return run_action_node(self.ctx, node, self.variables)
        if isinstance(node, VerificationNode):
            return run_verification_node(self.ctx, node, self.variables)
        if isinstance(node, NavigationNode):
            return run_navigation_node(self.ctx, node, self.variables, self.library)
        if isinstance(node, BlockNode):
            return run_block_node(self.ctx, node, self.variables)
        if isinstance(node, LoopNode):
            return self._loop(node, scope)
        raise BlockError("bad_node", f"node {node.id} of type {node.type} cannot run")

    def _loop(self, node: LoopNode, scope: str) -> NodeOutcome:
        passed = failed = 0
        messages = []
        for iteration in range(1, node.iterations + 1):
            self.variables[node.index_variable] = iteration
            # Step ids drop the `#iteration` part: a loop body's step shows its latest run.
            ok, _, message = self.run_graph(node.graph, f"{scope}{node.id}#{iteration}/")
            if ok:
                passed += 1
                if node.until_success:
                    break
                continue
            failed += 1
            messages.append(f"iteration {iteration}: {message}")
            if node.on_failure == "break":
                break
        success = passed > 0 if node.until_success else failed == 0
        summary = f"{passed} passed, {failed} failed of {node.iterations} iterations"
        return NodeOutcome(
            success,
            summary + (f"; {messages[-1]}" if messages else ""),
            details={"passed": passed, "failed": failed, "failures": messages},
        )
