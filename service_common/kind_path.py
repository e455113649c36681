"""The `{kind}` of status paths, shared by host and proxy: an execution kind, or `builder`.

The seed's clients start blocks at `/builder/execute` and read their status at
`/builder/execution/{id}/status`; `builder` is read as `block` there, on both services.
"""

from enum import StrEnum
from typing import Annotated

from fastapi import Path

from schemas import ExecutionKind

StatusKind = StrEnum(  # type: ignore[misc]  # built from the kinds, so none is forgotten
    "StatusKind", {**{k.name: k.value for k in ExecutionKind}, "builder": "builder"}
)

KindPath = Annotated[
    StatusKind,
    Path(description="The execution's kind; `builder` is the seed's name for `block`."),
]


def execution_kind(kind: StrEnum) -> ExecutionKind:
    return ExecutionKind.block if kind.value == "builder" else ExecutionKind(kind.value)
