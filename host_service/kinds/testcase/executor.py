"""Testcases: a graph of blocks, by id from the library or inline, run with inputs."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from host_service.drivers import Device
from host_service.kinds.base import Executor
from host_service.kinds.testcase.checks import device_problems, resolve_inputs
from host_service.kinds.testcase.graph import testcase_problems
from host_service.kinds.testcase.interpreter import Interpreter
from host_service.kinds.testcase.variables import Loc, Problem
from host_service.library import DefinitionLibrary
from host_service.steps.checks import raise_if_problems
from host_service.steps.context import RunContext
from schemas import ExecutionKind
from schemas.testcase import TestcaseDefinition, TestcaseRequest, TestcaseResult


@dataclass(frozen=True)
class TestcasePlan:
    __test__ = False  # not a pytest class, whatever its name

    testcase: TestcaseDefinition
    variables: dict[str, Any]
    library: DefinitionLibrary  # as it was at start: a reload does not change a run


def check_testcase(
    testcase: TestcaseDefinition,
    inline: bool,
    inputs: dict[str, Any],
    device: Device,
    library: DefinitionLibrary,
    at: Loc | None = None,
) -> tuple[dict[str, Any], list[Problem], list[Problem]]:
    """Every reason this testcase cannot run on this device with these inputs.

    `(variables, definition problems, input problems)`, located under `at`: a testcase
    start's own body, or one item of a campaign.
    """
    # A library testcase passed these checks when it was loaded.
    at = at or []
    where: Loc = [*at, "testcase"]
    problems = testcase_problems(testcase, library, where) if inline else []
    problems += device_problems(testcase, device, library, where)
    variables, input_problems = resolve_inputs(testcase, inputs, [*at, "inputs"])
    return variables, problems, input_problems


def run_testcase(
    ctx: RunContext,
    plan: TestcasePlan,
    live: bool,
    note: Callable[[str], None] | None = None,
) -> TestcaseResult:
    return Interpreter(ctx, plan.library, plan.testcase, plan.variables, live, note).run()


class TestcaseExecutor(Executor[TestcaseRequest, TestcasePlan]):
    __test__ = False

    kind = ExecutionKind.testcase
    default_timeout_s = 600.0
    max_timeout_s = 7200.0

    def prepare(
        self, request: TestcaseRequest, device: Device, path: dict[str, str]
    ) -> TestcasePlan:
        library = self.env.library.snapshot()
        inline = request.testcase is not None
        testcase = request.testcase or library.testcases.get(str(request.testcase_id))
        variables, problems, input_problems = check_testcase(
            testcase, inline, request.inputs, device, library
        )
        raise_if_problems(problems + input_problems)
        return TestcasePlan(testcase, variables, library)

    def run(self, ctx: RunContext, plan: TestcasePlan) -> TestcaseResult:
        return run_testcase(ctx, plan, live=True)
