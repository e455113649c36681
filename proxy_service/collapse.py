"""ReadCollapser: identical reads in flight share one upstream call.

When many clients poll the same running execution (dashboards, CI jobs, the
CLI), the proxy asks the host once per burst instead of once per client. A
read that arrives while an identical one is in flight gets that call's answer
(or its error); the answer is never older than the moment that read arrived at
the proxy plus one upstream round trip. Long-polls are never collapsed: each
waits for its own change.
"""

import asyncio
from collections.abc import Awaitable, Callable, Hashable


class ReadCollapser:
    def __init__(self) -> None:
        self._inflight: dict[Hashable, asyncio.Future[bytes]] = {}

    async def read(self, key: Hashable, fetch: Callable[[], Awaitable[bytes]]) -> bytes:
        pending = self._inflight.get(key)
        if pending is not None:
            try:
                return await asyncio.shield(pending)
            except asyncio.CancelledError:
                if not pending.cancelled():
                    raise  # this reader itself was cancelled
                # The first reader went away mid-call; read on our own below.
        return await self._lead(key, fetch)

    async def _lead(self, key: Hashable, fetch: Callable[[], Awaitable[bytes]]) -> bytes:
        shared: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._inflight[key] = shared
        try:
            content = await fetch()
        except asyncio.CancelledError:
            shared.cancel()
            raise
        except Exception as exc:
            shared.set_exception(exc)
            shared.exception()  # marked as seen: followers, if any, raise it themselves
            raise
        else:
            shared.set_result(content)
            return content
        finally:
            if self._inflight.get(key) is shared:
                del self._inflight[key]
