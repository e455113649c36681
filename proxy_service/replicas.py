"""Replicas: what this proxy learns from the others on the same PostgreSQL store.

Replicas never call each other. Every change to the queue or the host registry sends a
notice from its transaction (`lab/notices.py`), and each other replica, listening, looks
again (a replica acts on its own changes as it makes them):
- a lab request changed: whoever waits on it here (long-poll, event stream) is woken;
- the queue or a device changed (a new request, one back in the queue, a device freed or
  given back): this replica's dispatcher runs now, not at its next interval;
- a host's row changed (registered, heartbeat, forgotten through any replica): the row is
  taken into this replica's registry.
Listening anew after a gap, it reads every host again and runs the dispatcher, since
notices sent meanwhile are lost. Waiters and the dispatcher also look at the store on
their own every fraction of a second, so a lost notice delays, never loses, a change.
On SQLite (one process) there is nobody to learn from and none of this runs.
"""

import asyncio
import logging
from collections.abc import Set

from sqlalchemy.engine import URL

from proxy_service.dispatcher import Dispatcher
from proxy_service.hosts import HostRegistry
from proxy_service.lab import LabStore
from proxy_service.lab.listener import StoreListener
from proxy_service.lab.notices import Notice, Topic
from proxy_service.persisted_hosts import sync_host, sync_hosts
from proxy_service.signals import LabSignals

log = logging.getLogger("device_orchestrator.replicas")


class Replicas:
    def __init__(
        self,
        registry: HostRegistry,
        store: LabStore,
        signals: LabSignals,
        dispatcher: Dispatcher,
        url: URL,
        own_pids: Set[int],
    ) -> None:
        self._registry = registry
        self._store = store
        self._signals = signals
        self._dispatcher = dispatcher
        self.listener = StoreListener(url, self.notice, self.listening, own_pids)
        self._hosts_due: set[str] = set()
        self._hosts_changed = asyncio.Event()

    def notice(self, notice: Notice) -> None:
        if notice.topic is Topic.host:
            self._hosts_due.add(notice.key)
            self._hosts_changed.set()
            return
        if notice.key:
            self._signals.changed(notice.key)
        if notice.topic is Topic.queue:
            self._dispatcher.wake()

    async def listening(self) -> None:
        try:
            await sync_hosts(self._registry, self._store)
        except Exception:  # the store is away: hosts are read again at the next notice
            log.exception("hosts not read again from the store")
        self._dispatcher.wake()

    async def _take_hosts(self) -> None:
        """Read the rows of the hosts noticed, one at a time; a burst of heartbeats of one
        host is read once."""
        while True:
            await self._hosts_changed.wait()
            self._hosts_changed.clear()
            names, self._hosts_due = self._hosts_due, set()
            for name in sorted(names):
                try:
                    await sync_host(self._registry, self._store, name)
                except Exception:  # the store is away: the next notice reads it again
                    log.exception("host %s not read from the store", name)

    async def run(self) -> None:
        await asyncio.gather(self.listener.run(), self._take_hosts())
