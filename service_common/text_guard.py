"""TextGuard: text that cannot be encoded as UTF-8 is refused at the door (422 naming it).

And numbers JSON does not have (`NaN`, `Infinity`), for the same reason: they parse, and
every later write of them fails.

JSON may spell a lone surrogate (`"a\\ud800b"`): it parses, then fails every later write
(journal, view, forwarded body) as a 500. Header values and percent-encoded query values
may hold bytes that are no UTF-8 at all. Both services refuse them before any route runs,
with `loc` naming the header, the query parameter or the body field.
"""

import json
import math
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service_common.json_error import send_json_error

# What could spell a lone surrogate, or a number JSON does not have (Python's parser takes
# `NaN` and `Infinity`; nothing after it can write them back out).
_SUSPECT = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}|NaN|Infinity")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Deeper bodies parse, then break serialisation (pydantic stops at a few hundred levels);
# no request of any kind needs more than a few dozen.
MAX_DEPTH = 100
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(rb"[\[\]{}]")
_NOT_TEXT = "not valid UTF-8 text (a lone surrogate, or bytes that are no UTF-8)"
Loc = list[str | int]


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def bad_header(headers: list[tuple[bytes, bytes]]) -> Loc | None:
    for name, value in headers:
        if not value.isascii() and not _is_utf8(value):
            return ["header", name.decode("latin-1")]
    return None


def bad_query(query: bytes) -> Loc | None:
    if not query or (query.isascii() and b"%" not in query):
        return None
    for part in query.split(b"&"):
        key, _, value = part.partition(b"=")
        name = unquote_to_bytes(key.replace(b"+", b" "))
        if not _is_utf8(name) or not _is_utf8(unquote_to_bytes(value.replace(b"+", b" "))):
            return ["query", name.decode("utf-8", errors="replace")]
    return None


def too_deep(body: bytes) -> bool:
    """Whether the JSON nests objects and arrays deeper than `MAX_DEPTH` (strings ignored)."""
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return False  # the fast path: not enough brackets to nest that deep
    depth = 0
    for bracket in _BRACKET.findall(_STRING.sub(b'""', body)):
        depth += 1 if bracket in b"[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def bad_json_value(body: bytes) -> tuple[Loc, str] | None:
    """Where the first string or key with a lone surrogate, or NaN/Infinity, is; and what."""
    if not _SUSPECT.search(body):
        return None  # the fast path: nothing that could be either
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the route's own parsing says so
    stack: list[tuple[Loc, Any]] = [([], document)]
    while stack:  # iterative: a body may be nested as deep as the parser allows
        loc, node = stack.pop()
        if isinstance(node, str) and not _encodable(node):
            return ["body", *loc], _NOT_TEXT
        if isinstance(node, float) and not math.isfinite(node):
            return ["body", *loc], "not a JSON number (NaN and Infinity are not JSON)"
        if isinstance(node, dict):
            for key, value in node.items():
                if not _encodable(key):
                    return ["body", *loc, key.encode("utf-8", "replace").decode()], _NOT_TEXT
                stack.append(([*loc, key], value))
        elif isinstance(node, list):
            stack.extend(([*loc, index], value) for index, value in enumerate(node))
    return None


async def _refuse(send: Send, loc: Loc, msg: str = "") -> None:
    where = ".".join(str(part) for part in loc)
    msg = msg or _NOT_TEXT
    await send_json_error(
        send,
        422,
        "validation_error",
        f"invalid request: {where}: {msg}",
        details=[{"loc": loc, "msg": msg, "type": "value_error"}],
    )


class TextGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loc = bad_header(scope["headers"]) or bad_query(scope.get("query_string", b""))
        if loc is not None:
            await _refuse(send, loc)
            return
        if scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client left: let the app see it
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if too_deep(body):
            await _refuse(send, ["body"], f"JSON nested deeper than {MAX_DEPTH} levels")
            return
        found = bad_json_value(body)
        if found is not None:
            await _refuse(send, *found)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
