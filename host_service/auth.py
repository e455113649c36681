"""Host token check: with a token configured, every /host route but health needs it,
and so does /metrics (a Prometheus scrape sends it as `authorization: Bearer`).

A middleware rather than a route dependency, so that routes added by any router
are covered without each one remembering to ask for it. The API docs stay open.
"""

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from service_common.json_error import send_json_error

OPEN_PATHS = frozenset({"/host/health"})
GUARDED_PATHS = frozenset({"/metrics"})


class HostTokenAuth:
    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        guarded = path.startswith("/host/") or path.rstrip("/") in GUARDED_PATHS
        if scope["type"] != "http" or not guarded or path.rstrip("/") in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"authorization", b"")
        if hmac.compare_digest(given, self._expected):
            await self.app(scope, receive, send)
            return
        await send_json_error(
            send,
            401,
            "unauthorized",
            "this host needs its token: Authorization: Bearer <HOST_TOKEN>",
            headers=[(b"www-authenticate", b"Bearer")],
        )
