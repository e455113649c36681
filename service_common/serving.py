"""`serve(app, ...)`: uvicorn, with a graceful stop that does not wait on long-polls.

uvicorn's graceful stop waits for every open connection before the lifespan ends, so one
open `wait=60` long-poll held a SIGTERM for a minute. Here the app's `Stopping` is set the
moment the stop begins, so long-polls answer and event streams end at once; anything still
open after `grace_s` is cancelled by uvicorn. The process exits within about 2 s.
"""

import socket
from typing import Any

import uvicorn
from sse_starlette.sse import AppStatus

from service_common.stopping import Stopping, stopping_of

GRACE_S = 1  # seconds; uvicorn takes whole ones


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, stopping: Stopping) -> None:
        super().__init__(config)
        self._stopping = stopping

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._stopping.begin()  # on the loop, before uvicorn waits for connections to close
        await super().shutdown(sockets)


def serve(app: Any, *, host: str, port: int, grace_s: int = GRACE_S, **options: Any) -> None:
    # Streams end through `Stopping`, with a last event; sse-starlette's own drain would
    # cancel them half a second later without one.
    AppStatus.disable_automatic_graceful_drain()  # type: ignore[no-untyped-call]  # untyped lib
    config = uvicorn.Config(app, host=host, port=port, timeout_graceful_shutdown=grace_s, **options)
    _Server(config, stopping_of(app)).run()
