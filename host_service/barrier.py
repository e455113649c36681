"""JournalBarrier: no response byte leaves before the journal holds every change so far.

The journal commits in batches in its own thread; this ASGI middleware makes
each response (and each chunk of an event stream) wait until what was changed
before it is committed. When nothing is pending, the wait is one comparison.

While the journal's storage fails, a `202` (an execution accepted) is never
sent: it becomes `503 journal_unavailable`, since the execution is not durable
yet. The execution exists in memory and is journalled when the storage
recovers; a client that retries with the same `Idempotency-Key` gets it then.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from host_service.errors import UnavailableError
from host_service.state import HostState


def _unavailable(reason: str | None) -> bytes:
    error = UnavailableError(
        f"the journal cannot be written ({reason}); the execution is not durable yet: "
        "retry with the same Idempotency-Key",
        code="journal_unavailable",
    )
    return error.body().model_dump_json().encode()


class JournalBarrier:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = (scope.get("state") or {}).get("host") if scope["type"] == "http" else None
        journal = host.journal if isinstance(host, HostState) else None
        if journal is None:
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_when_written(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the body of the answer that was replaced
            if message["type"] in ("http.response.start", "http.response.body"):
                written = await journal.flushed()
                if not written and message.get("status") == 202:
                    replaced = True
                    body = _unavailable(journal.problem())
                    headers = [(b"content-type", b"application/json")]
                    await send({"type": "http.response.start", "status": 503, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
            await send(message)

        await self.app(scope, receive, send_when_written)
