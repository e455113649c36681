"""What a standard block is: its parameter schema, its outputs and the function that runs it."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from host_service.drivers.base import DriverError
from host_service.runtime.cancel import CancelToken
from host_service.runtime.limits import RunLimits
from schemas import ParamSpec
from schemas.blocks import BlockOutputSpec, BlockView


class BlockContext(Protocol):
    """The part of `RunContext` a block uses; tests pass a small stand-in."""

    @property
    def token(self) -> CancelToken: ...

    @property
    def log(self) -> logging.Logger: ...

    @property
    def limits(self) -> RunLimits: ...


class BlockError(DriverError):
    """A block could not run as defined (unknown variable, bad param after substitution).

    A `DriverError` so the orchestrator ends the execution in `error` with this code:
    a bad definition found at run time is a tooling fault, not a failed check.
    """


@dataclass(frozen=True)
class BlockOutcome:
    success: bool
    outputs: dict[str, Any] = field(default_factory=dict)
    message: str = ""


# Problems with params whose types already fit the schema: `(param name, problem)`.
ParamCheck = Callable[[dict[str, Any]], list[tuple[str, str]]]
BlockFn = Callable[[dict[str, Any], BlockContext], BlockOutcome]


def no_check(params: dict[str, Any]) -> list[tuple[str, str]]:
    return []


@dataclass(frozen=True)
class BlockSpec:
    name: str
    description: str
    params: list[ParamSpec]
    outputs: list[BlockOutputSpec]
    run: BlockFn
    # Value checks beyond types (ranges, regex syntax); sees only params without placeholders
    # at start, and every param after substitution at run time.
    check: ParamCheck = no_check

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params if p.default is not None}

    def view(self) -> BlockView:
        return BlockView(
            name=self.name, description=self.description, params=self.params, outputs=self.outputs
        )


def param(name: str, type_: str = "string", **kw: Any) -> ParamSpec:
    return ParamSpec.model_validate({"name": name, "type": type_, **kw})


def output(name: str, type_: str, description: str) -> BlockOutputSpec:
    return BlockOutputSpec.model_validate({"name": name, "type": type_, "description": description})
