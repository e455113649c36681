"""Bounds on what one execution produces: each value, the whole result, each message.

The one home of the size rule. Without it one small request grew a host by
gigabytes: 24 `set_variable` blocks of `"{s}{s}"` doubled a string into a 151 MB
view and a 735 MB journal. Now:

- a value (a variable, a block's or a command's output, a `{var}` text being built)
  is at most `value_bytes`: past it the step fails, the execution ends in `error`
  with `value_too_large`, and the value is never recorded;
- everything the steps produce (values, messages, evidence) counts toward
  `result_bytes`, and the finished result is measured again: past it the execution
  ends in `error` with `result_too_large` instead of recording the result;
- a message shown while the execution runs (a step's, the progress line, a log line)
  is cut to `message_chars`, saying how much was cut: a message is for people, and
  losing its tail loses no data.

Sizes are those of the value's JSON text, measured without building it and with an
early stop, so measuring a huge value costs no more than the limit.
"""

from typing import Any

KIB = 1024


class LimitExceededError(Exception):
    """A value or a result past its bound; ends the execution in `error` with `code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def json_size(value: Any, stop_above: int) -> int:
    """The size of `value` as JSON text (UTF-8 bytes), or a number past `stop_above` as soon
    as it is known to be larger."""
    total = 0
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            total += 2 + (len(item) if item.isascii() else len(item.encode("utf-8", "replace")))
        elif isinstance(item, dict):
            total += 1 + 2 * len(item) if item else 2  # braces, colons and commas
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, list | tuple):
            total += 1 + len(item) if item else 2  # brackets and commas
            pending += item
        elif item is None or item is True:
            total += 4
        elif item is False:
            total += 5
        elif isinstance(item, int | float):
            total += len(repr(item))
        else:
            total += len(str(item)) + 2
        if total > stop_above:
            return total
    return total


def shorten(text: str, chars: int) -> str:
    """`text`, cut to `chars` with a note of what was cut."""
    if len(text) <= chars:
        return text
    return f"{text[:chars]}... ({len(text) - chars:,} more characters)"


class RunLimits:
    """One execution's bounds, and what its steps have produced so far.

    Used by the execution's worker thread only (composite kinds run their parts in the
    same thread), so it takes no lock.
    """

    def __init__(
        self,
        value_bytes: int = 64 * KIB,
        result_bytes: int = 1024 * KIB,
        message_chars: int = 4 * KIB,
    ) -> None:
        self.value_bytes = value_bytes
        self.result_bytes = result_bytes
        self.message_chars = message_chars
        self.produced = 0

    def value(self, what: str, value: Any) -> None:
        """Check one value a step produced (`what` names it) and count it."""
        size = json_size(value, self.value_bytes)
        if size > self.value_bytes:
            raise LimitExceededError(
                "value_too_large",
                f"{what} is over {self.value_bytes:,} bytes, the limit of a value "
                "(HOST_MAX_VALUE_BYTES)",
            )
        self._count(what, size)

    def count(self, what: str, *produced: Any) -> None:
        """Count what a step produced besides values: messages, evidence."""
        self._count(what, sum(json_size(item, self.result_bytes) for item in produced))

    def text(self, what: str, length: int) -> None:
        """Check the length of a text being built (substitution) before it grows further."""
        if length > self.value_bytes:
            raise LimitExceededError(
                "value_too_large",
                f"{what} would be over {self.value_bytes:,} bytes, the limit of a value "
                "(HOST_MAX_VALUE_BYTES)",
            )

    def result(self, size: int) -> None:
        """Check the finished result's size (its JSON, in bytes)."""
        if size > self.result_bytes:
            raise LimitExceededError(
                "result_too_large",
                f"the result is {size:,} bytes, over {self.result_bytes:,}, the limit of a "
                "result (HOST_MAX_RESULT_BYTES)",
            )

    def shorten(self, text: str) -> str:
        return shorten(text, self.message_chars)

    def _count(self, what: str, size: int) -> None:
        self.produced += size
        if self.produced > self.result_bytes:
            raise LimitExceededError(
                "result_too_large",
                f"{what}: the execution has produced over {self.result_bytes:,} bytes, the "
                "limit of a result (HOST_MAX_RESULT_BYTES)",
            )
