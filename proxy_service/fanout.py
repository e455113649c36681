"""Ask every host at once; a host that does not answer is reported, not a failed request.

The listing answers within `bound_s` whatever the hosts do: a host still silent then is
listed unreachable with a `host_timeout` error saying so, beside the hosts that answered.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from proxy_service.errors import HostTimeoutError, ProxyError
from proxy_service.hosts import HostEntry, HostRegistry
from schemas import ErrorBody

T = TypeVar("T")
Outcome = tuple[HostEntry, T | None, ErrorBody | None]


async def fan_out(
    registry: HostRegistry,
    host_name: str | None,
    call: Callable[[HostEntry], Awaitable[T]],
    bound_s: float,
) -> list[Outcome[T]]:
    """`(host, answer, None)` or `(host, None, error)` for each host, in registry order."""
    entries = [registry.get(host_name)] if host_name else list(registry)

    async def one(entry: HostEntry) -> Outcome[T]:
        try:
            registry.route(entry.name)
            async with asyncio.timeout(bound_s):
                return entry, await call(entry), None
        except TimeoutError:
            late = HostTimeoutError(
                f"host {entry.name!r} did not answer within the listing's {bound_s:g} s",
                details={"host_name": entry.name, "deadline_s": bound_s},
            )
            return entry, None, late.body()
        except ProxyError as exc:
            return entry, None, exc.body()

    return list(await asyncio.gather(*(one(e) for e in entries)))
