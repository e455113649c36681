"""Ask every host at once; a host that does not answer is reported, not a failed request."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from proxy_service.errors import ProxyError
from proxy_service.hosts import HostEntry, HostRegistry
from schemas import ErrorBody

T = TypeVar("T")
Outcome = tuple[HostEntry, T | None, ErrorBody | None]


async def fan_out(
    registry: HostRegistry,
    host_name: str | None,
    call: Callable[[HostEntry], Awaitable[T]],
) -> list[Outcome[T]]:
    """`(host, answer, None)` or `(host, None, error)` for each host, in registry order."""
    entries = [registry.get(host_name)] if host_name else list(registry)

    async def one(entry: HostEntry) -> Outcome[T]:
        try:
            registry.route(entry.name)
            return entry, await call(entry), None
        except ProxyError as exc:
            return entry, None, exc.body()

    return list(await asyncio.gather(*(one(e) for e in entries)))
