"""The `{kind}` of status paths, shared by host and proxy: an execution kind, or `builder`.

The seed's clients start blocks at `/builder/execute` and read their status at
`/builder/execution/{id}/status`; `builder` is read as `block` there, on both services.
"""

from enum import StrEnum
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, Field

from schemas import ExecutionKind

StatusKind = StrEnum(  # type: ignore[misc]  # built from the kinds, so none is forgotten
    "StatusKind", {**{k.name: k.value for k in ExecutionKind}, "builder": "builder"}
)

KIND = "The execution's kind; `builder` is the seed's name for `block`."
KindPath = Annotated[StatusKind, Path(description=KIND)]


class ExecutionPath(BaseModel):
    """`/executions/{execution_id}`, parsed by the status reads themselves (route_params.py)."""

    execution_id: str


class KindExecutionPath(BaseModel):
    """`/{kind}/execution/{execution_id}/status`, parsed by the routes themselves."""

    kind: StatusKind = Field(description=KIND)
    execution_id: str


def execution_kind(kind: StrEnum) -> ExecutionKind:
    return ExecutionKind.block if kind.value == "builder" else ExecutionKind(kind.value)
