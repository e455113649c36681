"""Testcases: a graph of blocks joined by success/failure edges, with inputs and variables."""

from typing import Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, model_validator

from schemas.actions import Action
from schemas.base import Identifier, RequestModel, ResponseModel, StartRequest
from schemas.verifications import PassCondition, Verification

# Variable names are what `{name}` placeholders may refer to.
VarName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]


class InputSpec(RequestModel):
    name: VarName
    type: Literal["string", "integer", "number", "boolean", "any"] = "any"
    default: Any = None
    required: bool = Field(default=False, description="A run must give it; `default` is unused.")
    description: str = ""


class _Node(RequestModel):
    id: Identifier
    label: str = Field(default="", max_length=200)


class StartNode(_Node):
    type: Literal["start"]


class SuccessNode(_Node):
    type: Literal["success"]
    message: str = ""


class FailureNode(_Node):
    type: Literal["failure"]
    message: str = ""


class ActionNode(_Node):
    type: Literal["action"]
    actions: list[Action] = Field(min_length=1, max_length=500)
    retry_actions: list[Action] = Field(default_factory=list, max_length=500)
    failure_actions: list[Action] = Field(default_factory=list, max_length=500)


class VerificationNode(_Node):
    type: Literal["verification"]
    verifications: list[Verification] = Field(min_length=1, max_length=200)
    pass_condition: PassCondition = PassCondition.all


class NavigationNode(_Node):
    type: Literal["navigation"]
    tree_id: Identifier
    target_node_id: str | None = None
    target_node_label: str | None = None
    max_replans: int = Field(strict=True, default=3, ge=0, le=10)

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.target_node_id is None) == (self.target_node_label is None):
            raise ValueError("give exactly one of target_node_id and target_node_label")
        return self


class BlockNode(_Node):
    type: Literal["block"]
    block: str = Field(min_length=1, max_length=64, examples=["evaluate_condition"])
    params: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, VarName] = Field(
        default_factory=dict, description="Block output name -> variable that receives it."
    )


class LoopNode(_Node):
    type: Literal["loop"]
    iterations: int = Field(strict=True, ge=1, le=1000)
    on_failure: Literal["break", "continue"] = "break"
    until_success: bool = Field(
        default=False, description="Stop at the first passing iteration (a retry loop)."
    )
    index_variable: VarName = Field(default="iteration", description="1-based iteration number.")
    graph: "TestcaseGraph"


TestcaseNode = Annotated[
    StartNode
    | SuccessNode
    | FailureNode
    | ActionNode
    | VerificationNode
    | NavigationNode
    | BlockNode
    | LoopNode,
    Field(discriminator="type"),
]


class TestcaseEdge(RequestModel):
    __test__ = False  # a "Test..." name, but not a pytest test class

    source: Identifier
    target: Identifier
    # Not `on`: YAML 1.1 reads a bare `on` key as the boolean true.
    outcome: Literal["success", "failure"] = Field(
        default="success", description="The outcome of `source` that takes this edge."
    )


class TestcaseGraph(RequestModel):
    __test__ = False  # a "Test..." name, but not a pytest test class

    nodes: list[TestcaseNode] = Field(min_length=1, max_length=2000)
    edges: list[TestcaseEdge] = Field(default_factory=list, max_length=5000)


class TestcaseDefinition(RequestModel):
    __test__ = False  # a "Test..." name, but not a pytest test class

    id: Identifier
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    inputs: list[InputSpec] = Field(default_factory=list)
    variables: dict[VarName, Any] = Field(default_factory=dict, description="Initial values.")
    outputs: list[VarName] = Field(
        default_factory=list, description="Variables reported as outputs; all when empty."
    )
    max_visited_blocks: int | None = Field(
        strict=True,
        default=None,
        ge=1,
        le=100_000,
        description=(
            "Stops a graph that cycles for ever. By default every node can run once (a loop's "
            "body once per iteration), and at least 1,000 visits."
        ),
    )
    graph: TestcaseGraph


_EXAMPLE_GRAPH: dict[str, Any] = {
    "nodes": [
        {"id": "start", "type": "start"},
        {
            "id": "guide",
            "type": "action",
            "actions": [{"command": "press_key", "params": {"key": "{key}"}}],
        },
        {
            "id": "check",
            "type": "verification",
            "verifications": [
                {"type": "screen", "command": "check_screen", "params": {"screen": "guide"}}
            ],
        },
        {"id": "passed", "type": "success"},
    ],
    "edges": [
        {"source": "start", "target": "guide"},
        {"source": "guide", "target": "check"},
        {"source": "check", "target": "passed"},
    ],
}


class TestcaseRequest(StartRequest):
    """Run a testcase from the library (`testcase_id`) or given inline (`testcase`)."""

    __test__ = False  # a "Test..." name, but not a pytest test class

    testcase_id: Identifier | None = None
    testcase: TestcaseDefinition | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"device_id": "tv-1", "testcase_id": "open_guide", "inputs": {}},
                {
                    "device_id": "tv-1",
                    "testcase": {
                        "id": "inline_guide",
                        "name": "Open the guide",
                        "inputs": [{"name": "key", "default": "GUIDE"}],
                        "graph": _EXAMPLE_GRAPH,
                    },
                },
            ]
        },
    )

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.testcase_id is None) == (self.testcase is None):
            raise ValueError("give exactly one of testcase_id and testcase")
        return self


class BlockRun(ResponseModel):
    """One visit of a node of the graph."""

    node_id: str = Field(description="Loop bodies are `loop_id/iteration/node_id`.")
    type: str
    label: str = ""
    success: bool
    duration_ms: float
    message: str = ""
    outputs: dict[str, Any] = Field(default_factory=dict)
    details: dict[str, Any] = Field(default_factory=dict, description="The node kind's result.")


class TestcaseResult(ResponseModel):
    __test__ = False  # a "Test..." name, but not a pytest test class

    kind: Literal["testcase"] = "testcase"
    success: bool
    testcase_id: str
    terminal_node_id: str | None = None
    message: str = ""
    visited: int = 0
    blocks: list[BlockRun] = Field(default_factory=list)
    variables: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, Any] = Field(default_factory=dict)
