"""WatchNudge: a start or cancel the proxy relayed makes the watch read that host now.

Hosts with the change feed tell the watch themselves within a round trip; a host
without it (an older one) is read every `refresh_s`. Every start and cancel this proxy
relays names its host (the start's `Location`, the cancel's `host_name`), so reading
that host at once shows the device busy within a round trip there too. A start or
cancel of a lab request (no host named) makes the watch read the lab queue instead.
"""

from urllib.parse import parse_qs, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from proxy_service.watch.lab import LabWatch


def _host_name(query: str) -> str | None:
    names = parse_qs(query).get("host_name")
    return names[0] if names else None


def nudge(watch: LabWatch, scope: Scope, headers: dict[bytes, bytes]) -> None:
    """Wake what a successful POST moved: its host, or the lab queue for a lab request's
    start (a `Location` without a host) or cancel (no `host_name`)."""
    location = headers.get(b"location")
    if location is not None:
        name = _host_name(urlsplit(location.decode("latin-1")).query)
    else:
        name = _host_name(scope.get("query_string", b"").decode("latin-1"))
    if name is not None:
        watch.wake(name)
    elif location is not None or str(scope.get("path", "")).endswith("/cancel"):
        watch.wake_queue()


class WatchNudge:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        watch = scope.get("state", {}).get("watch")
        if not isinstance(watch, LabWatch) or not watch.running:
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                nudge(watch, scope, dict(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, sending)
