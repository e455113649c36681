"""Config file mistakes as one short line: the file, the item, the field and what is wrong.

Both services stop with exit 2 and this line when their config cannot be used, instead of
pydantic's multi-line report or a traceback.
"""

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


def _item(raw: Any, loc: tuple[int | str, ...]) -> str:
    """`hosts[1] (lab-2).url`: the location, with the item's name where it has one."""
    text = ""
    node = raw
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            name = node.get("name", node.get("id")) if isinstance(node, dict) else None
            if isinstance(name, str):
                text += f" ({name})"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text


def describe_invalid(path: Path, raw: Any, exc: ValidationError) -> str:
    """One line for the first problem, with a count of the others."""
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    where = _item(raw, tuple(first["loc"]))
    message = str(first["msg"]).removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{path}: {where + ': ' if where else ''}{message}{more}"


def describe_unreadable(path: Path, exc: OSError | yaml.YAMLError) -> str:
    if isinstance(exc, OSError):
        return f"{path}: cannot read: {exc.strerror or exc}"
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    problem = getattr(exc, "problem", None) or "not valid YAML"
    return f"{path}: {where}{problem}"


def describe_settings(env_prefix: str, exc: ValidationError) -> str:
    """A bad setting (environment variable or flag) as one line naming it."""
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    name = env_prefix + "_".join(str(p) for p in first["loc"]).upper()
    message = str(first["msg"]).removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"setting {name}: {message}{more}"
