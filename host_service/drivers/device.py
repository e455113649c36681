"""Device: one configured device, its driver, and what the host tracks about it."""

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from host_service.config import DeviceConfig
from host_service.drivers.base import Driver, Observation
from host_service.drivers.capture import capturing
from host_service.drivers.visual import VISUAL_SPECS, VisualChecks
from host_service.runtime.cancel import CancelToken
from schemas import VerificationSpec


@dataclass(eq=False)
class Device:
    config: DeviceConfig
    driver: Driver
    # Last known node per navigation tree; None when unknown or stale.
    positions: dict[str, str | None] = field(default_factory=dict)
    _offline_since: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # The host's image and ocr checks, for a driver that can capture its screen.
    visual: VisualChecks | None = None

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

    # -- what the device accepts: its driver's checks, plus visual ones if it captures ----

    def verifications(self) -> list[VerificationSpec]:
        own = self.driver.verifications()
        return own if self._visual() is None else [*own, *VISUAL_SPECS]

    def command_problems(self, command: str, params: dict[str, Any]) -> list[tuple[str, str]]:
        """Problems beyond the param specs (an argument the command driver would refuse)."""
        return self.driver.execute_problems(command, params)

    def check_problems(
        self, type_: str, command: str, params: dict[str, Any]
    ) -> list[tuple[str, str]]:
        """Problems beyond the param specs (a reference image that is not in the library)."""
        visual = self._visual()
        if visual is None or not visual.handles(type_, command):
            return self.driver.observe_problems(type_, command, params)
        return visual.problems(type_, command, params)

    def polls(self, type_: str, command: str) -> bool:
        visual = self._visual()
        if visual is not None and visual.handles(type_, command):
            return True
        return self.driver.polls(type_, command)

    def observe(
        self, type_: str, command: str, params: dict[str, Any], token: CancelToken
    ) -> Observation:
        visual, screen = self._visual(), capturing(self.driver)
        if visual is not None and screen is not None and visual.handles(type_, command):
            return visual.observe(screen, type_, command, params, token)
        return self.driver.observe(type_, command, params, token)

    def _visual(self) -> VisualChecks | None:
        return self.visual if capturing(self.driver) is not None else None
