"""`set_variable`: give a variable a value, for the blocks that follow."""

from typing import Any

from host_service.blocks.spec import BlockContext, BlockOutcome, BlockSpec, output, param
from host_service.runtime.substitution import render
from schemas.blocks import VARIABLE_NAME


def _check(params: dict[str, Any]) -> list[tuple[str, str]]:
    name = params.get("name")
    if name is not None and not VARIABLE_NAME.match(name):
        return [
            ("name", "must be a variable name: letters, digits and _, not starting with a digit")
        ]
    return []


def _run(params: dict[str, Any], ctx: BlockContext) -> BlockOutcome:
    name, value = params["name"], params["value"]
    return BlockOutcome(True, {name: value}, f"{name} = {render(value)}")


SET_VARIABLE = BlockSpec(
    name="set_variable",
    description="Set the variable `name` to `value` (any JSON value; `{var}` copies a variable).",
    params=[
        param("name", description="The variable to set."),
        param("value", "any", description="Its new value; a whole `{var}` keeps that type."),
    ],
    outputs=[output("{name}", "any", "The variable named by the `name` param.")],
    run=_run,
    check=_check,
)
