"""The argv of one command call: each template element rendered to one argument, then checked.

The one home of the argument rules, used at start (a 422 naming the param, through
`CommandDriver.execute_problems`) and again just before the program runs, for callers
that skip the start-time check (a `DriverError` with the problem's code):

- an argument must not start with '-' because of a request's param (it would read as
  an option): the rendered argument is checked, so `"{a}{b}"` with an empty `a` and
  `b = "-rf"` is refused like `"{b}"` would be. The template's own leading dash
  (`"-{flag}"`), a device variable's and an `allow_leading_dash` param's are allowed;
- no argument holds a NUL character (the kernel cannot pass one);
- each argument and all of them together stay within the device's byte limits, which
  sit below the kernel's (past them `exec` fails with E2BIG).
"""

import os
from dataclasses import dataclass
from typing import Any

from host_service.drivers.command_settings import CommandTemplate
from host_service.runtime.substitution import lookup, pieces, render

# A rendered element: (text, name of the placeholder it came from or None for literal text).
_Piece = tuple[str, str | None]


@dataclass(frozen=True)
class ArgvProblem:
    param: str  # the request's param at fault, or "argv" when the template alone is
    code: str  # the DriverError code when found as the program is about to run
    message: str


@dataclass(frozen=True)
class ArgvLimits:
    argument_bytes: int
    argv_bytes: int


def _render(element: str, values: dict[str, Any]) -> list[_Piece]:
    """Raises `SubstitutionError` for a placeholder without a value."""
    return [
        (text if name is None else render(lookup(name, values)), name)
        for text, name in pieces(element)
    ]


def render_argv(template: CommandTemplate, values: dict[str, Any]) -> list[list[_Piece]]:
    return [_render(element, values) for element in template.argv]


def joined(argv: list[list[_Piece]]) -> list[str]:
    return ["".join(text for text, _ in element) for element in argv]


def _size(text: str) -> int | None:
    """Bytes as the kernel gets them (os.fsencode), or None if the text cannot be encoded."""
    if text.isascii():
        return len(text)
    try:
        return len(os.fsencode(text))
    except UnicodeEncodeError:
        return None


def _dash_culprit(element: list[_Piece], given: set[str], allowed: set[str]) -> str | None:
    """The request param that makes this argument start with '-', if one does."""
    emptied: str | None = None  # a request param left empty before the first text
    for text, name in element:
        if not text:
            if name in given and emptied is None:
                emptied = name
            continue
        if not text.startswith("-"):
            return None
        if name is not None and name in given:
            return None if name in allowed else name
        return emptied  # the template's own dash, or a device variable's
    return None


def _longest(elements: list[list[_Piece]], given: set[str]) -> str:
    named = [(len(text), name) for element in elements for text, name in element if name in given]
    return max(named)[1] if named else "argv"


def argv_problems(
    template: CommandTemplate,
    argv: list[list[_Piece]],
    given: set[str],
    limits: ArgvLimits,
) -> list[ArgvProblem]:
    """What is wrong with this rendered argv; `given` are the params the request set."""
    problems: list[ArgvProblem] = []
    allowed = set(template.allow_leading_dash)
    total = 0
    for index, (element, text) in enumerate(zip(argv, joined(argv), strict=True)):
        at = f"argv[{index}]"
        size = _size(text)
        if size is None or "\0" in text:
            what = "a NUL character" if "\0" in text else "text that cannot be encoded"
            bad = [n for t, n in element if n in given and ("\0" in t or _size(t) is None)]
            holder = bad[0] if bad and bad[0] is not None else "argv"
            problems.append(ArgvProblem(holder, "invalid_argument", f"would put {what} in {at}"))
            continue
        total += size + 1
        if size > limits.argument_bytes:
            message = f"{at} would be {size:,} bytes, over the limit of {limits.argument_bytes:,}"
            problems.append(ArgvProblem(_longest([element], given), "argument_too_long", message))
        culprit = _dash_culprit(element, given, allowed) if index > 0 else None
        if culprit is not None:
            message = f"would start {at} with '-', where it reads as an option"
            problems.append(ArgvProblem(culprit, "unsafe_argument", message))
    too_long = any(p.code == "argument_too_long" for p in problems)
    if total > limits.argv_bytes and not too_long:
        message = f"the arguments would be {total:,} bytes, over the limit of {limits.argv_bytes:,}"
        problems.append(ArgvProblem(_longest(argv, given), "argument_too_long", message))
    return problems
