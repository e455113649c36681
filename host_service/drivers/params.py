"""Checks a command's params against the parameter specs its driver declares."""

import re
from typing import Any

from schemas import ParamSpec

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "any": (object,),
}


def param_problems(specs: list[ParamSpec], params: dict[str, Any]) -> list[tuple[str, str]]:
    """Return `(param name, problem)` pairs; empty when the params fit the specs."""
    problems: list[tuple[str, str]] = []
    known = {spec.name: spec for spec in specs}
    for name in params:
        if name not in known:
            problems.append((name, f"unknown parameter; accepted: {sorted(known) or 'none'}"))
    for spec in specs:
        if spec.name not in params:
            if spec.required:
                problems.append((spec.name, "missing required parameter"))
            continue
        value = params[spec.name]
        wanted = _PY_TYPES[spec.type]
        # bool is an int in Python; a JSON true is not a key code or a count.
        is_flag = isinstance(value, bool) and spec.type not in ("boolean", "any")
        if is_flag or not isinstance(value, wanted):
            problems.append((spec.name, f"expected {spec.type}, got {type(value).__name__}"))
        elif spec.type == "array" and isinstance(value, list) and not _strings(value):
            problems.append((spec.name, "expected a non-empty array of strings"))
        elif spec.choices is not None and value not in spec.choices:
            problems.append((spec.name, f"must be one of {spec.choices}"))
        elif spec.pattern is not None and re.search(spec.pattern, str(value)) is None:
            hint = f" ({spec.description})" if spec.description else ""
            problems.append((spec.name, f"does not match {spec.pattern!r}{hint}"))
    return problems


def _strings(value: list[Any]) -> bool:
    return bool(value) and all(isinstance(item, str) for item in value)
