"""Typed operands: the conversions evaluate_condition and param coercion share.

Each raises `OperandError` naming the value when it does not convert; nothing is
ever evaluated as code.
"""

import math
import re
from collections.abc import Callable
from typing import Any

from host_service.runtime.substitution import render

_INTEGER = re.compile(r"^[+-]?\d+$")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class OperandError(ValueError):
    pass


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise OperandError(f"{value!r} is a boolean, not a number")
    if isinstance(value, int | float):
        number: int | float = value
    elif isinstance(value, str) and _INTEGER.match(value.strip()):
        number = int(value.strip())
    else:
        try:
            number = float(value) if isinstance(value, str) else math.nan
        except ValueError:
            number = math.nan
    if isinstance(number, float) and not math.isfinite(number):
        raise OperandError(f"{value!r} is not a number")
    return number


def to_integer(value: Any) -> int:
    number = to_number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise OperandError(f"{value!r} is not an integer")
        return int(number)
    return number


def to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise OperandError(f"{value!r} is not a boolean (true/false, yes/no, on/off, 1/0)")


def to_string(value: Any) -> str:
    return render(value)


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "number": to_number,
    "integer": to_integer,
    "boolean": to_boolean,
    "string": to_string,
}
