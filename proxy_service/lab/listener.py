"""StoreListener: the notices of a PostgreSQL lab store (LISTEN), for as long as it runs.

It holds one connection of its own, outside the store's pool, in autocommit. When it
cannot connect or loses the connection it tries again after a pause, and each time it
listens anew it calls `on_listening` first: what was sent while it was away is lost, so the
caller reads again what it keeps. Notices sent from `own_pids` (the server processes of
the caller's own store connections) are skipped: the caller knows its own changes.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Set

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL

from proxy_service.lab.notices import CHANNEL, Notice
from proxy_service.lab.store import application_name
from proxy_service.lab.url import shown

log = logging.getLogger("device_orchestrator.replicas")

PING_S = 5.0  # a quiet connection is checked this often (a dead one shows when used)
RETRY_S = 1.0  # pause before listening again after the connection failed
CONNECT_S = 5  # connect timeout, in whole seconds (libpq's unit)


class StoreListener:
    def __init__(
        self,
        url: URL,
        on_notice: Callable[[Notice], None],
        on_listening: Callable[[], Awaitable[None]],
        own_pids: Set[int] = frozenset(),
    ) -> None:
        self._url = url
        self._own_pids = own_pids
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._on_notice = on_notice
        self._on_listening = on_listening
        self.listening = False

    async def run(self) -> None:
        while True:
            try:
                await self._listen()
            except (psycopg.Error, OSError) as exc:
                log.warning("not listening to %s: %s", shown(self._url), " ".join(str(exc).split()))
            self.listening = False
            await asyncio.sleep(RETRY_S)

    async def _listen(self) -> None:
        connection = await psycopg.AsyncConnection.connect(
            self._conninfo,
            autocommit=True,
            connect_timeout=CONNECT_S,
            application_name=f"{application_name()} listener",
        )
        async with connection:
            await connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
            self.listening = True
            await self._on_listening()
            while True:
                async for notify in connection.notifies(timeout=PING_S):
                    if notify.pid in self._own_pids:
                        continue  # sent by this process's own change
                    notice = Notice.parse(notify.payload)
                    if notice is not None:
                        self._on_notice(notice)
                await connection.execute("SELECT 1")
