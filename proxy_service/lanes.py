"""Connection lanes: how many calls the proxy has in flight to each host, by kind of call.

Event streams and long-polls hold a connection for as long as they last; quick requests
(starts, status reads, listings) hold one for milliseconds. Each host has a lane for each,
so 200 open streams cannot leave a start waiting for a connection. A full lane, or the
whole proxy at `PROXY_MAX_CONNECTIONS`, is `503 proxy_busy` at once: the caller retries
(or goes to another proxy) instead of queueing behind a stream that may last an hour, and
the host, which was never called, is not marked offline.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from proxy_service.errors import ProxyBusyError

Lane = Literal["requests", "streams"]


class ConnectionLanes:
    def __init__(self, *, requests_per_host: int, streams_per_host: int, total: int) -> None:
        self._limits: dict[Lane, int] = {"requests": requests_per_host, "streams": streams_per_host}
        self._total = total
        self._held: Counter[tuple[str, Lane]] = Counter()
        self._in_flight = 0

    def held(self, host_name: str, lane: Lane) -> int:
        return self._held[(host_name, lane)]

    def in_use(self) -> dict[tuple[str, Lane], int]:
        """Places held now, by host and lane (for the metrics)."""
        return {key: count for key, count in self._held.items() if count}

    @contextmanager
    def hold(self, host_name: str, lane: Lane) -> Iterator[None]:
        """One place in `lane` of `host_name` for the duration of the block, or 503 now."""
        key = (host_name, lane)
        limit = self._limits[lane]
        if self._held[key] >= limit or self._in_flight >= self._total:
            full = f"{lane} to host {host_name!r}" if self._held[key] >= limit else "all hosts"
            raise ProxyBusyError(
                f"the proxy has every connection for {full} in use; try again shortly",
                details={"host_name": host_name, "lane": lane, "limit": limit},
            )
        self._held[key] += 1
        self._in_flight += 1
        try:
            yield
        finally:
            self._held[key] -= 1
            self._in_flight -= 1
