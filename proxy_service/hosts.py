"""The host registry: the only addresses the proxy ever calls, keyed by host name."""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from proxy_service.config import ProxyConfig
from proxy_service.errors import HostConflictError, HostOfflineError, UnknownHostError
from proxy_service.host_urls import base_url
from schemas import HostDevice, HostHeartbeat, HostRegistration, HostStatus, HostView

Clock = Callable[[], float]


@dataclass(eq=False)
class HostEntry:
    name: str
    url: str
    source: Literal["config", "registered"]
    devices: list[HostDevice] = field(default_factory=list)
    last_heartbeat: datetime | None = None
    last_seen: datetime | None = None
    seen_at: float | None = None  # clock time of the last heartbeat or health check passed
    failing: bool = False  # the last health check or connection attempt failed
    last_error: str | None = None


def _later(theirs: datetime | None, ours: datetime | None) -> bool:
    return theirs is not None and (ours is None or theirs > ours)


class HostRegistry:
    """Configured and registered hosts with their liveness.

    A host is online while it was seen (heartbeat or health check) within
    `expiry_s` and has not failed since; offline once it failed or expired;
    unknown while a configured host was never checked (requests still go out).
    """

    def __init__(self, config: ProxyConfig, expiry_s: float, clock: Clock = time.monotonic):
        self._expiry_s = expiry_s
        self._clock = clock
        self._hosts: dict[str, HostEntry] = {
            h.name: HostEntry(h.name, base_url(h.url), "config") for h in config.hosts
        }

    def __iter__(self) -> Iterator[HostEntry]:
        return iter(list(self._hosts.values()))

    def __len__(self) -> int:
        return len(self._hosts)

    def __contains__(self, name: object) -> bool:
        return name in self._hosts

    @property
    def clock(self) -> Clock:
        return self._clock

    def get(self, name: str) -> HostEntry:
        entry = self._hosts.get(name)
        if entry is None:
            raise UnknownHostError(
                f"unknown host {name!r}; known hosts: {sorted(self._hosts)}",
                details={"host_name": name},
            )
        return entry

    def route(self, name: str) -> HostEntry:
        """The host to forward a request to; offline hosts fail fast instead of hanging."""
        entry = self.get(name)
        if self.status(entry) is HostStatus.offline:
            raise HostOfflineError(
                f"host {name!r} is offline: {self._why_offline(entry)}",
                details={"host_name": name, "last_error": entry.last_error},
            )
        return entry

    def status(self, entry: HostEntry) -> HostStatus:
        if entry.seen_at is None and not entry.failing:
            return HostStatus.unknown
        if entry.failing:
            return HostStatus.offline
        assert entry.seen_at is not None
        if self._clock() - entry.seen_at > self._expiry_s:
            return HostStatus.offline
        return HostStatus.online

    def _why_offline(self, entry: HostEntry) -> str:
        if entry.failing:
            return entry.last_error or "its last check failed"
        assert entry.seen_at is not None
        ago = self._clock() - entry.seen_at
        return f"not seen for {ago:.0f} s (heartbeat expired after {self._expiry_s:g} s)"

    def register(self, registration: HostRegistration) -> HostEntry:
        url = base_url(registration.url)
        entry = self._hosts.get(registration.host_name)
        if entry is not None and entry.source == "config" and entry.url != url:
            raise HostConflictError(
                f"host {registration.host_name!r} is configured at {entry.url}, not {url}",
                details={"host_name": registration.host_name},
            )
        if entry is None or entry.url != url:
            entry = HostEntry(registration.host_name, url, entry.source if entry else "registered")
            self._hosts[entry.name] = entry
        self.heartbeat(entry.name, registration)
        return entry

    def restore(self, saved: HostEntry) -> None:
        """Take back what the lab store kept of a host: a registered one, a configured one's state.

        A configured host keeps its configured URL; saved state of another URL is dropped.
        """
        known = self._hosts.get(saved.name)
        if known is None:
            if saved.source == "registered":
                self._hosts[saved.name] = saved
            return
        if known.url == saved.url:
            known.devices = saved.devices
            known.last_heartbeat, known.last_seen = saved.last_heartbeat, saved.last_seen
            known.seen_at = saved.seen_at

    def merge(self, saved: HostEntry) -> None:
        """Take what another replica wrote of a host, where it is newer than what is known here:
        a registration (a new host, or one moved to another URL), a heartbeat (its devices),
        a sign of life. A configured host's URL and devices stay this proxy's own."""
        known = self._hosts.get(saved.name)
        if known is None or known.url != saved.url:
            if saved.source == "registered" and (
                known is None
                or (known.source == "registered" and _later(saved.last_seen, known.last_seen))
            ):
                self._hosts[saved.name] = saved
            return
        if _later(saved.last_heartbeat, known.last_heartbeat):
            known.last_heartbeat = saved.last_heartbeat
            if known.source == "registered":
                known.devices = saved.devices
        if _later(saved.last_seen, known.last_seen):
            known.last_seen, known.seen_at = saved.last_seen, saved.seen_at
            known.failing, known.last_error = False, None

    def drop(self, name: str) -> None:
        """Another replica forgot a registered host; configured ones stay."""
        entry = self._hosts.get(name)
        if entry is not None and entry.source == "registered":
            del self._hosts[name]

    def forget(self, name: str) -> None:
        """Drop a registered host; configured hosts stay, they are the proxy's own list."""
        self.get(name)
        self.drop(name)

    def heartbeat(self, name: str, heartbeat: HostHeartbeat) -> HostEntry:
        """A host is alive, with these devices. A configured host's devices are what the
        proxy itself reads from it (monitor.py), never what a registrant says."""
        entry = self.get(name)
        if entry.source == "registered":
            entry.devices = list(heartbeat.devices)
        entry.last_heartbeat = datetime.now(UTC)
        self.mark_seen(entry)
        return entry

    def mark_seen(self, entry: HostEntry) -> None:
        entry.seen_at = self._clock()
        entry.last_seen = datetime.now(UTC)
        entry.failing = False
        entry.last_error = None

    def mark_failed(self, entry: HostEntry, error: str) -> None:
        entry.failing = True
        entry.last_error = error

    def due_for_check(self, interval_s: float) -> list[HostEntry]:
        """Configured hosts (their devices are read then), and registered hosts not seen
        within `interval_s`: heartbeating registered hosts need no health check."""
        now = self._clock()
        return [
            e
            for e in self
            if e.source == "config" or e.seen_at is None or now - e.seen_at >= interval_s
        ]

    def view(self, entry: HostEntry) -> HostView:
        return HostView(
            host_name=entry.name,
            url=entry.url,
            source=entry.source,
            status=self.status(entry),
            last_heartbeat=entry.last_heartbeat,
            last_seen=entry.last_seen,
            last_error=entry.last_error,
            devices=entry.devices,
        )
