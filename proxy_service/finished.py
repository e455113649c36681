"""Views of finished executions, answered without asking their host again.

A finished execution never changes (its status is terminal, its result and logs
are final), so its view can be served from here; clients and dashboards read it
again and again once a run is over. Bounded in count, entry size and age, so a
view evicted by its host's retention is not served for long after.
"""

from cachetools import TTLCache

# Views with their full logs can be large; those are always fetched from the host.
MAX_VIEW_BYTES = 64_000

Key = tuple[str, str, bool]  # host name, host path, include_logs


class FinishedViews:
    def __init__(self, size: int, ttl_s: float) -> None:
        self._views: TTLCache[Key, bytes] | None = (
            TTLCache(maxsize=size, ttl=ttl_s) if size else None
        )

    def get(self, key: Key) -> bytes | None:
        return None if self._views is None else self._views.get(key)

    def keep(self, key: Key, content: bytes) -> None:
        if self._views is not None and len(content) <= MAX_VIEW_BYTES:
            self._views[key] = content
