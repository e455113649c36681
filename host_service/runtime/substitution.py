"""`{var}` substitution in definition params: the one rule blocks, testcases and drivers share.

A string that is exactly one placeholder, `"{count}"`, becomes the variable's value
with its type (a number stays a number, a list stays a list). Placeholders inside a
longer string are rendered as text (`true`/`false`/`null` and JSON for booleans, null
and containers). `{{` and `}}` are literal braces. A placeholder is a name (letters,
digits, `_`; dots reach into mappings and lists: `{reply.items.0}`), so regex
quantifiers such as `\\d{3}` or `{2,5}` are left alone. Lists and mappings are
substituted recursively (values, not keys). An unknown name is a `SubstitutionError`.
"""

import json
import re
from collections.abc import Mapping
from typing import Any

from host_service.runtime.limits import RunLimits

_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*"
_PLACEHOLDER = re.compile(r"\{(" + _NAME + r")\}")
_TOKEN = re.compile(r"\{\{|\}\}|\{(" + _NAME + r")\}")


class SubstitutionError(ValueError):
    """A placeholder names a variable (or a key of one) that does not exist."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown variable {name!r} in '{{{name}}}'; known: {known or 'none'}")
        self.name = name
        self.known = known


def render(value: Any) -> str:
    """The text of a value inside a longer string."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | dict | list | tuple) or value is None:
        return json.dumps(value, default=str)
    return str(value)


def lookup(name: str, variables: Mapping[str, Any]) -> Any:
    head, *keys = name.split(".")
    if head not in variables:
        raise SubstitutionError(name, sorted(variables))
    value = variables[head]
    for key in keys:
        if isinstance(value, Mapping) and key in value:
            value = value[key]
        elif isinstance(value, list | tuple) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            raise SubstitutionError(name, sorted(variables))
    return value


class _Budget:
    """The text one substitution builds, checked against the limit of a value as it grows:
    `"{s}{s}"` doubles a value, and many placeholders of a long one would be gigabytes."""

    def __init__(self, limits: RunLimits | None, what: str) -> None:
        self.limits = limits
        self.what = what
        self.used = 0

    def add(self, length: int) -> None:
        self.used += length
        if self.limits is not None:
            self.limits.text(self.what, self.used)


def substitute(
    value: Any,
    variables: Mapping[str, Any],
    limits: RunLimits | None = None,
    what: str = "the text of a {var}",
) -> Any:
    """`value` with every placeholder replaced; containers are rebuilt, never mutated.

    With `limits`, the text built (over the whole value) stays within the limit of a
    value, or `LimitExceededError` names `what`.
    """
    return _substitute(value, variables, _Budget(limits, what))


def _substitute(value: Any, variables: Mapping[str, Any], budget: _Budget) -> Any:
    if isinstance(value, str):
        return _substitute_text(value, variables, budget)
    if isinstance(value, list | tuple):
        return [_substitute(item, variables, budget) for item in value]
    if isinstance(value, Mapping):
        return {key: _substitute(item, variables, budget) for key, item in value.items()}
    return value


def substitute_text(text: str, variables: Mapping[str, Any]) -> Any:
    return _substitute_text(text, variables, _Budget(None, ""))


def _substitute_text(text: str, variables: Mapping[str, Any], budget: _Budget) -> Any:
    whole = _PLACEHOLDER.fullmatch(text)
    if whole is not None:
        return lookup(whole.group(1), variables)  # the value itself: nothing is built
    budget.add(len(text))

    def replace(match: re.Match[str]) -> str:
        piece = match.group(0)
        if piece in ("{{", "}}"):
            return piece[0]
        rendered = render(lookup(match.group(1), variables))
        budget.add(len(rendered))
        return rendered

    return _TOKEN.sub(replace, text)


def pieces(text: str) -> list[tuple[str, str | None]]:
    """`text` in order as literal pieces `(text, None)` and placeholders `(text, name)`;
    `{{` and `}}` are literal pieces of one brace."""
    found: list[tuple[str, str | None]] = []
    last = 0
    for match in _TOKEN.finditer(text):
        if match.start() > last:
            found.append((text[last : match.start()], None))
        name = match.group(1)
        found.append((match.group(0)[0], None) if name is None else (match.group(0), name))
        last = match.end()
    if last < len(text):
        found.append((text[last:], None))
    return found


def placeholders(value: Any) -> set[str]:
    """Every variable name `value` refers to (the part before the first dot)."""
    if isinstance(value, str):
        return {
            match.group(1).split(".")[0]
            for match in _TOKEN.finditer(value)
            if match.group(1) is not None
        }
    if isinstance(value, list | tuple):
        return set().union(*(placeholders(item) for item in value))
    if isinstance(value, Mapping):
        return set().union(*(placeholders(item) for item in value.values()))
    return set()


def has_placeholder(value: Any) -> bool:
    return bool(placeholders(value))
