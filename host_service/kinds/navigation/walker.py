"""Navigator: find where the device is, walk the cheapest path, recover when it strays.

1. With no tracked position (or a tracked one that is the target), probe the target,
   then the entry node, then every node nearest the entry first.
2. Walk the cheapest path edge by edge (see `step.take_edge`).
3. A failed step locates the device (the step's target and its neighbours first)
   and plans again from there, at most `max_replans` times.
The position is tracked per device and tree; action nodes are never a position.
"""

import itertools

from host_service.kinds.navigation.edge import path_node, take_edge, verify_node
from host_service.kinds.navigation.planner import Planner
from host_service.steps.context import RunContext
from schemas.navigation import NavigationResult, NavNode, StartFoundBy

_ARRIVED = NavNode(id="arrived", label="every step of the plan passed")  # a sentinel


class Navigator:
    def __init__(self, ctx: RunContext, planner: Planner, live: bool) -> None:
        self.ctx = ctx
        self.tree = planner.tree
        self.planner = planner
        self.live = live  # report each edge as a step of the execution
        self._step_count = 0

    def _settle(self, node_id: str | None) -> None:
        resting = node_id is not None and self.planner.nodes[node_id].type != "action"
        self.ctx.device.positions[self.tree.id] = node_id if resting else None

    def locate(self, around: str, probed: frozenset[str] = frozenset()) -> NavNode | None:
        """Probe resting nodes nearest `around` first, except those just `probed`."""
        for node in self.planner.around(around):
            if node.id not in probed and verify_node(self.ctx, node, probe=True)[0]:
                self.ctx.log.info("device located at %s", node.id)
                self._settle(node.id)
                return node
        return None

    def find_start(self, target: NavNode) -> tuple[NavNode | None, StartFoundBy | None]:
        tracked = self.ctx.device.positions.get(self.tree.id)
        if tracked in self.planner.nodes and tracked != target.id:
            return self.planner.nodes[tracked], "tracked"
        probe_target = target.type != "action" and target.verifications
        if probe_target and verify_node(self.ctx, target, probe=True)[0]:
            return target, "verified_target"
        entry = self.planner.entry
        if verify_node(self.ctx, entry, probe=True)[0]:
            return entry, "verified_entry"
        located = self.locate(entry.id, probed=frozenset({entry.id, target.id}))
        if located is not None:
            return located, "located"
        edge = self.planner.global_edge_into(entry.id)
        if edge is not None:
            step = take_edge(self.ctx, edge, entry, entry, 0)
            if step.success:
                return entry, "global_edge"
        return None, None

    def navigate(self, target: NavNode, max_replans: int) -> NavigationResult:
        result = NavigationResult(success=False, tree_id=self.tree.id, target=path_node(target))
        start, found_by = self.find_start(target)
        if start is None:
            self._settle(None)
            result.message = f"cannot tell where the device is in tree {self.tree.id!r}"
            return result
        self._settle(start.id)
        result.start, result.start_found_by = path_node(start), found_by
        result.path.append(path_node(start))
        if start.id == target.id:
            result.success = result.already_at_target = True
            result.final_node = path_node(start)
            result.message = f"already at {target.label}"
            return result
        position = start
        while True:
            plan = self.planner.plan(position.id, target.id)
            if plan is None:
                result.message = f"no path from {position.id!r} to {target.id!r}"
                break
            result.plans.append(plan)
            landed = self._walk(plan, result)
            if landed is _ARRIVED:
                result.success = True
                result.message = f"reached {target.label}"
                break
            if landed is None:
                break  # lost: the failed step's message says why
            if landed.id == target.id:
                result.success = True
                result.message = f"reached {target.label} (after a detour)"
                break
            if result.replans >= max_replans:
                result.message += f"; gave up after {result.replans} re-plans"
                break
            result.replans += 1
            position = landed
        last = result.path[-1]
        tracked = self.ctx.device.positions.get(self.tree.id)
        result.final_node = last if result.success or last.id == tracked else None
        return result

    def _walk(self, plan: list[str], result: NavigationResult) -> NavNode | None:
        """Take the plan's edges: `_ARRIVED`, the node the device strayed to, or None if lost."""
        nodes = self.planner.nodes
        for offset, (source_id, target_id) in enumerate(itertools.pairwise(plan)):
            self.ctx.token.check()
            source, target = nodes[source_id], nodes[target_id]
            step_id = f"step-{self._step_count}"
            label = f"{source.label} -> {target.label}"
            if self.live:
                self.ctx.progress(offset, len(plan) - 1, label)
                started = self.ctx.step_running(step_id, label)
            edge = self.planner.edge(source_id, target_id)
            step = take_edge(self.ctx, edge, source, target, self._step_count)
            self._step_count += 1
            if step.success:
                self._settle(target_id)
                result.path.append(path_node(target))
            else:
                located = self.locate(target_id)
                step.landed_on = None if located is None else located.id
                if located is None:
                    self._settle(None)
                    step.message += "; the device is not on any known node"
            result.steps.append(step)
            if self.live:
                self.ctx.step_done(step_id, started, step.success, step.message)
            if not step.success:
                result.message = step.message
                if located is not None:
                    result.path.append(path_node(located))
                return located
        return _ARRIVED
