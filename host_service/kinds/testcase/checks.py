"""Checks of a testcase against a run: the inputs given, and the device that runs it."""

from typing import Any

from host_service.blocks import has_placeholder
from host_service.drivers import Device
from host_service.errors import field_error
from host_service.kinds.navigation.executor import tree_problems_for
from host_service.kinds.testcase.graph import walk
from host_service.kinds.testcase.variables import Loc, Problem
from host_service.library import DefinitionLibrary
from host_service.steps.checks import action_problems, verification_problems
from schemas.testcase import (
    ActionNode,
    InputSpec,
    NavigationNode,
    TestcaseDefinition,
    VerificationNode,
)

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def _type_problem(spec: InputSpec, value: Any) -> str | None:
    if spec.type == "any":
        return None
    # bool is an int in Python; a JSON true is not a count.
    wrong_bool = isinstance(value, bool) and spec.type != "boolean"
    if wrong_bool or not isinstance(value, _TYPES[spec.type]):
        return f"expected {spec.type}, got {type(value).__name__}"
    return None


def resolve_inputs(
    testcase: TestcaseDefinition, given: dict[str, Any], loc: Loc
) -> tuple[dict[str, Any], list[Problem]]:
    """The run's first variables: the testcase's own, then defaults, then the inputs given."""
    specs = {spec.name: spec for spec in testcase.inputs}
    problems = [
        field_error([*loc, name], f"unknown input; accepted: {sorted(specs) or 'none'}")
        for name in given
        if name not in specs
    ]
    variables = dict(testcase.variables)
    for name, spec in specs.items():
        if name in given:
            problem = _type_problem(spec, given[name])
            if problem:
                problems.append(field_error([*loc, name], problem))
            variables[name] = given[name]
        elif spec.required:
            problems.append(field_error([*loc, name], "missing required input"))
        else:
            variables[name] = spec.default
    return variables, problems


def _fixed(problems: list[Problem], templated: set[tuple[int, str]], depth: int) -> list[Problem]:
    """Drop param problems of values with a `{var}`: those are checked when they are known."""
    kept = []
    for problem in problems:
        loc = problem["loc"]
        index, name = loc[depth] if len(loc) > depth else None, loc[-1]
        if "params" in loc and (index, name) in templated:
            continue
        kept.append(problem)
    return kept


def device_problems(
    testcase: TestcaseDefinition, device: Device, library: DefinitionLibrary, loc: Loc
) -> list[Problem]:
    """Commands, checks and trees of the testcase that this device cannot run."""
    problems: list[Problem] = []
    seen_trees: set[str] = set()
    for node, here in walk(testcase.graph, [*loc, "graph"]):
        if isinstance(node, ActionNode):
            for group in ("actions", "retry_actions", "failure_actions"):
                items = getattr(node, group)
                templated = {
                    (i, name)
                    for i, a in enumerate(items)
                    for name, value in a.params.items()
                    if has_placeholder(value)
                }
                found = action_problems(items, device, [*here, group])
                problems += _fixed(found, templated, len(here) + 2)
        if isinstance(node, VerificationNode):
            templated = {
                (i, name)
                for i, v in enumerate(node.verifications)
                for name, value in v.params.items()
                if has_placeholder(value)
            }
            found = verification_problems(node.verifications, device, [*here, "verifications"])
            problems += _fixed(found, templated, len(here) + 2)
        if (
            isinstance(node, NavigationNode)
            and node.tree_id in library.trees
            and node.tree_id not in seen_trees
        ):
            seen_trees.add(node.tree_id)
            problems += library.trees.derived(
                node.tree_id, ("device", device.id), lambda tree: tree_problems_for(device, tree)
            )
    return problems
