"""Standard blocks: the catalogue of named blocks, and the `block` kind that runs a list of them."""

from typing import Literal

from pydantic import Field

from schemas.base import ResponseModel
from schemas.devices import ParamSpec


class BlockOutputSpec(ResponseModel):
    """A value a block produces; a builder run writes it to the variable of that name."""

    name: str
    type: Literal["string", "integer", "number", "boolean", "any"]
    description: str = ""


class BlockView(ResponseModel):
    """One block of the registry as clients see it."""

    name: str
    description: str
    params: list[ParamSpec] = Field(default_factory=list)
    outputs: list[BlockOutputSpec] = Field(default_factory=list)
