"""Health checks of hosts the proxy has not heard from lately."""

import asyncio
import contextlib

from proxy_service.client import HostClient
from proxy_service.errors import ProxyError
from proxy_service.hosts import HostEntry, HostRegistry
from schemas import HostDevice


class HostMonitor:
    def __init__(self, registry: HostRegistry, client: HostClient, interval_s: float) -> None:
        self._registry = registry
        self._client = client
        self._interval_s = interval_s

    async def check(self, entry: HostEntry) -> None:
        try:
            health = await self._client.health(entry)
        except ProxyError as exc:
            self._registry.mark_failed(entry, f"health check failed: {exc.message}")
            return
        if health.name != entry.name:
            # A host answering under another name would run requests meant for another lab.
            self._registry.mark_failed(
                entry, f"the host at {entry.url} calls itself {health.name!r}"
            )
            return
        self._registry.mark_seen(entry)
        if entry.source == "config":
            await self._read_devices(entry)

    async def _read_devices(self, entry: HostEntry) -> None:
        """A configured host's devices, as it answers them (it does not heartbeat them)."""
        try:
            # As quick as a health check must be: the first round runs before serving.
            async with asyncio.timeout(self._client.quick_s):
                devices = await self._client.devices(entry, lane=None)  # like health
        except (ProxyError, TimeoutError):
            return  # the health check passed; the devices are read again next round
        entry.devices = [HostDevice.of(d) for d in devices]

    async def check_due(self) -> None:
        """Check, concurrently, every host not seen within one interval."""
        await asyncio.gather(
            *(self.check(e) for e in self._registry.due_for_check(self._interval_s))
        )

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self._interval_s)
            with contextlib.suppress(Exception):  # one bad round must not end the monitoring
                await self.check_due()
