"""`${previous.outputs.x}` and `${items.<name>.outputs.x}` in a campaign item's inputs.

A value that is exactly one reference takes the output's own type; a reference
inside longer text is replaced by its text. References are checked before the
campaign starts (only earlier items), and resolved just before their item runs.
"""

import re
from typing import Any

from host_service.blocks import render
from host_service.errors import field_error
from schemas.campaign import CampaignDefinition, CampaignItemResult

REFERENCE = re.compile(r"\$\{(previous|items\.(.+?))\.outputs\.([A-Za-z_][A-Za-z0-9_]*)\}")


class ChainError(Exception):
    """A reference that cannot be resolved: its item did not pass or has no such output."""


def references(value: Any) -> list[tuple[str | None, str]]:
    """`(item name or None for previous, output name)` for each reference in `value`."""
    if isinstance(value, str):
        return [(m.group(2), m.group(3)) for m in REFERENCE.finditer(value)]
    if isinstance(value, dict):
        return [ref for v in value.values() for ref in references(v)]
    if isinstance(value, list):
        return [ref for v in value for ref in references(v)]
    return []


def chaining_problems(campaign: CampaignDefinition, loc: list[str | int]) -> list[dict[str, Any]]:
    problems = []
    earlier: list[str] = []
    for index, item in enumerate(campaign.items):
        for name, value in item.inputs.items():
            here = [*loc, "items", index, "inputs", name]
            for item_name, _ in references(value):
                if item_name is None and index == 0:
                    problems.append(field_error(here, "the first item has no previous item"))
                elif item_name is not None and item_name not in earlier:
                    msg = f"no earlier item {item_name!r}; earlier: {earlier or 'none'}"
                    problems.append(field_error(here, msg))
        earlier.append(item.key)
    return problems


def _output(item: CampaignItemResult | None, output: str, what: str) -> Any:
    if item is None:
        raise ChainError(f"{what} has not run")
    if item.status != "passed" and output not in item.outputs:
        raise ChainError(f"{what} ({item.name}) ended {item.status} without output {output!r}")
    if output not in item.outputs:
        raise ChainError(
            f"{what} ({item.name}) has no output {output!r}; has {sorted(item.outputs)}"
        )
    return item.outputs[output]


def resolve(
    value: Any, previous: CampaignItemResult | None, items: dict[str, CampaignItemResult]
) -> Any:
    if isinstance(value, dict):
        return {k: resolve(v, previous, items) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, previous, items) for v in value]
    if not isinstance(value, str):
        return value

    def lookup(match: re.Match[str]) -> Any:
        name, output = match.group(2), match.group(3)
        if name is None:
            return _output(previous, output, "the previous item")
        return _output(items.get(name), output, f"item {name!r}")

    whole = REFERENCE.fullmatch(value)
    if whole is not None:
        return lookup(whole)
    return REFERENCE.sub(lambda m: render(lookup(m)), value)
