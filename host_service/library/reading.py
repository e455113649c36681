"""Reading one definition file into plain data, within bounds, never echoing its content.

A library file is input the host does not control (a shared folder): it is refused
before it can cost the host memory or time, and what went wrong is said with a line
and column, never with a piece of the file (a link once brought a password line back).

- at most `max_file_bytes`, UTF-8, one JSON or YAML document;
- YAML through libyaml (`CSafeLoader`): ten times the pure-Python parser's speed, and
  its own bound of 1,000 nesting levels keeps the parser's recursion short;
- aliases are allowed, but the data they expand to is bounded (`max_values` values,
  `max_depth` levels) and may not contain itself: PyYAML shares an alias's data, and
  validation then copied a 9-level "billion laughs" into gigabytes.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MIB = 1024 * 1024


@dataclass(frozen=True)
class LibraryLimits:
    max_file_bytes: int = 2 * MIB
    max_values: int = 250_000  # every mapping, list and scalar, aliases expanded
    max_depth: int = 64  # nesting levels of mappings and lists


class UnreadableFileError(Exception):
    """A definition file that cannot be read; the message never quotes the file."""


def _quoted_removed(text: str) -> str:
    # Parser messages may quote a tag or a key from the file; the position says where.
    return re.sub(r"'[^']*'", "'...'", text)


def _parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = "" if mark is None else f" at line {mark.line + 1}, column {mark.column + 1}"
        raise UnreadableFileError(
            f"not valid YAML: {_quoted_removed(exc.problem or '')}{where}"
        ) from exc
    except yaml.reader.ReaderError as exc:
        raise UnreadableFileError(
            f"not valid YAML: a character YAML does not allow at position {exc.position}"
        ) from exc
    except yaml.YAMLError as exc:
        raise UnreadableFileError(f"not valid YAML ({type(exc).__name__})") from exc
    except RecursionError as exc:
        raise UnreadableFileError("not valid YAML: nested too deeply") from exc


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFileError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    except ValueError as exc:  # an integer past Python's 4,300 digits
        raise UnreadableFileError(
            "not valid JSON: a number has more digits than the 4,300 allowed"
        ) from exc
    except RecursionError as exc:
        raise UnreadableFileError("not valid JSON: nested too deeply") from exc


def _children(value: dict[Any, Any] | list[Any]) -> list[Any]:
    return [*value.keys(), *value.values()] if isinstance(value, dict) else value


def check_shape(data: Any, limits: LibraryLimits) -> None:
    """Raise `UnreadableFileError` if `data`, shared parts expanded, is too big, too deep, or
    contains itself. Each shared part is walked once: linear in the data as read."""
    # id -> (values in it, levels in it) of every list and mapping walked so far
    walked: dict[int, tuple[int, int]] = {}
    open_ids: set[int] = set()  # the containers on the way down to the current one
    stack: list[tuple[Any, int, bool]] = [(data, 1, False)]
    while stack:
        value, depth, leaving = stack.pop()
        if not isinstance(value, dict | list):
            continue
        key = id(value)
        if leaving:
            open_ids.discard(key)
            inner = [walked.get(id(c), (1, 0)) for c in _children(value)]
            size = 1 + sum(values for values, _ in inner)
            if size > limits.max_values:
                raise UnreadableFileError(
                    f"its data expands to more than {limits.max_values:,} values (YAML aliases?)"
                )
            walked[key] = (size, 1 + max((levels for _, levels in inner), default=0))
            continue
        if key in open_ids:
            raise UnreadableFileError(
                "its data contains itself (a YAML alias inside its own anchor)"
            )
        levels = walked[key][1] if key in walked else 1
        if depth + levels - 1 > limits.max_depth:
            raise UnreadableFileError(f"its data is nested deeper than {limits.max_depth} levels")
        if key in walked:
            continue
        open_ids.add(key)
        stack.append((value, depth, True))
        stack += [(c, depth + 1, False) for c in _children(value) if isinstance(c, dict | list)]


def read_definition(path: Path, limits: LibraryLimits) -> Any:
    """The data of one JSON or YAML file at `path` (already resolved inside the library)."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise UnreadableFileError(
            f"it cannot be opened ({exc.strerror or type(exc).__name__})"
        ) from exc
    if len(raw) > limits.max_file_bytes:
        raise UnreadableFileError(
            f"larger than the {limits.max_file_bytes:,} bytes a definition file may have"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(f"not UTF-8 text (byte {exc.start})") from exc
    data = _parse_json(text) if path.suffix == ".json" else _parse_yaml(text)
    check_shape(data, limits)
    return data
