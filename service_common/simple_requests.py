"""SimpleRequestGuard: a browser's simple POST is accepted from trusted pages only.

A page's `fetch(url, {method: "POST", body: JSON.stringify(...)})` sends the body as
`text/plain` (the seed's own browser code does), and a form or a Blob body sends no JSON
type at all: such requests need no CORS preflight, so from any web page they would reach
an unauthenticated host. A POST with a simple content type (none, `text/plain`, a form)
is therefore accepted only from a client that sends no `Origin` (scripts, curl), from the
service's own origin, or from an origin in the CORS setting; any other origin gets 403
naming it. An accepted `text/plain` or untyped body is read as the JSON it is.
"""

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from service_common.json_error import send_json_error

_SIMPLE_TYPES = frozenset(
    {b"", b"text/plain", b"application/x-www-form-urlencoded", b"multipart/form-data"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_of(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port


class SimpleRequestGuard:
    def __init__(self, app: ASGIApp, allowed_origins: list[str]) -> None:
        self.app = app
        self._allowed = {o for o in (_origin_of(a) for a in allowed_origins) if o is not None}

    def _trusted(self, scope: Scope, origin: bytes, host: bytes) -> bool:
        claimed = _origin_of(origin.decode("latin-1"))
        if claimed is None:
            return False  # "null" (sandboxed frames, file: pages) or garbage
        own = _origin_of(f"{scope.get('scheme', 'http')}://{host.decode('latin-1')}")
        return claimed == own or claimed in self._allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if content_type not in _SIMPLE_TYPES:
            await self.app(scope, receive, send)  # a browser preflights these: CORS decides
            return
        origin = headers.get(b"origin")
        if origin is not None and not self._trusted(scope, origin, headers.get(b"host", b"")):
            shown = origin.decode("latin-1")
            await send_json_error(
                send,
                403,
                "origin_not_allowed",
                f"a simple request from origin {shown!r} is refused: this page is neither "
                "the service's own nor listed in its CORS origins",
                details={"origin": shown},
            )
            return
        if content_type in (b"", b"text/plain"):
            rewritten = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
            scope = {**scope, "headers": [*rewritten, (b"content-type", b"application/json")]}
        await self.app(scope, receive, send)
