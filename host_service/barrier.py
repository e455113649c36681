"""JournalBarrier: no response byte leaves before the journal holds every change so far.

The journal commits in batches in its own thread; this ASGI middleware makes
each response (and each chunk of an event stream) wait until what was changed
before it is committed. When nothing is pending, the wait is one comparison.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from host_service.state import HostState


class JournalBarrier:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = (scope.get("state") or {}).get("host") if scope["type"] == "http" else None
        journal = host.journal if isinstance(host, HostState) else None
        if journal is None:
            await self.app(scope, receive, send)
            return

        async def send_when_written(message: Message) -> None:
            if message["type"] in ("http.response.start", "http.response.body"):
                await journal.flushed()
            await send(message)

        await self.app(scope, receive, send_when_written)
