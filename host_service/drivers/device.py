"""Device: one configured device, its driver, and what the host tracks about it."""

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from host_service.config import DeviceConfig
from host_service.drivers.base import Driver


@dataclass(eq=False)
class Device:
    config: DeviceConfig
    driver: Driver
    # Last known node per navigation tree; None when unknown or stale.
    positions: dict[str, str | None] = field(default_factory=dict)
    _offline_since: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def id(self) -> str:
        return self.config.id

    def offline_since(self) -> datetime | None:
        """When the driver was first seen offline in its current outage; None while online.

        Looked at by every start, every device view and after every execution, so the
        time is when the host first noticed, within one of those.
        """
        online = self.driver.online
        with self._lock:
            if online:
                self._offline_since = None
            elif self._offline_since is None:
                self._offline_since = datetime.now(UTC)
            return self._offline_since
