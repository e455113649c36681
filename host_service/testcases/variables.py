"""`{name}` placeholders in block params, filled from the testcase's variables.

A value that is exactly one placeholder takes the variable's own type (a number
stays a number); a placeholder inside longer text is replaced by its string form.
"""

import re
from typing import Any

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class MissingVariableError(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"no variable {name!r}")
        self.name = name


def references(value: Any) -> set[str]:
    """Every variable name that `value` refers to, looking inside lists and dicts."""
    if isinstance(value, str):
        return set(PLACEHOLDER.findall(value))
    if isinstance(value, dict):
        return set().union(*(references(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(references(v) for v in value)) if value else set()
    return set()


def substitute(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: substitute(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    if not isinstance(value, str):
        return value
    whole = PLACEHOLDER.fullmatch(value)
    if whole is not None:
        return _lookup(whole.group(1), variables)
    return PLACEHOLDER.sub(lambda m: str(_lookup(m.group(1), variables)), value)


def _lookup(name: str, variables: dict[str, Any]) -> Any:
    if name not in variables:
        raise MissingVariableError(name)
    return variables[name]
