"""The one place where httpx's exception tree (and a missed deadline) becomes proxy errors.

    no connection (refused, or not within the connect timeout) -> 502, host marked offline
    any other transport error (connection broken)   -> 502 host_unreachable: it may have run,
                                                       so a start is repeated with its key
    httpx.TimeoutException, a missed deadline       -> 504 host_timeout
    httpx.PoolTimeout                               -> 503 proxy_busy (mounted transports)
    an answer the shared models reject              -> 502 bad_host_answer (`bad_answer`)

Only a failure to connect marks the host offline: a slow answer or a busy proxy says
nothing about whether the host is up.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import httpx
from pydantic import ValidationError

from proxy_service.errors import (
    BadHostAnswerError,
    HostTimeoutError,
    HostUnreachableError,
    ProxyBusyError,
)
from proxy_service.hosts import HostEntry, HostRegistry
from proxy_service.metrics import ProxyMetrics

# What a 502 cannot tell: whether the host acted on the request before the connection broke.
MAY_HAVE_RUN = (
    "the host may have acted on the request before the connection broke: repeat a start "
    "with the same Idempotency-Key to get its execution instead of a second one"
)


def _could_not_connect(exc: httpx.TransportError) -> bool:
    cause = exc.__cause__
    if isinstance(cause, aiohttp.ClientError):
        # httpx-aiohttp maps every aiohttp connection error to ConnectTimeout, a broken
        # answer included; the aiohttp error it came from tells a failed connect apart.
        return isinstance(cause, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)


@contextmanager
def mapped_errors(
    entry: HostEntry, registry: HostRegistry, metrics: ProxyMetrics | None, deadline_s: float
) -> Iterator[None]:
    details = {"host_name": entry.name}
    try:
        yield
    except TimeoutError as exc:  # the call's overall deadline (asyncio.timeout)
        if metrics is not None:
            metrics.failed(entry.name, "Deadline")
        raise HostTimeoutError(
            f"host {entry.name!r} did not answer within {deadline_s:g} s",
            details={**details, "deadline_s": deadline_s},
        ) from exc
    except httpx.TransportError as exc:
        if metrics is not None:
            metrics.failed(entry.name, type(exc).__name__)
        if isinstance(exc, httpx.PoolTimeout):
            raise ProxyBusyError(
                "every connection to the hosts is in use; try again", details=details
            ) from exc
        if _could_not_connect(exc):
            registry.mark_failed(entry, f"cannot connect: {exc}")
            raise HostUnreachableError(
                f"host {entry.name!r} is unreachable: {exc}", details=details
            ) from exc
        if isinstance(exc, httpx.TimeoutException):
            raise HostTimeoutError(
                f"host {entry.name!r} did not answer in time", details=details
            ) from exc
        raise HostUnreachableError(
            f"host {entry.name!r} broke the connection ({exc}); {MAY_HAVE_RUN}",
            details={**details, "may_have_run": True},
        ) from exc


def bad_answer(entry: HostEntry, what: str, exc: ValidationError) -> BadHostAnswerError:
    """A 502 whose details can always be encoded: no echo of the host's bytes."""
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    return BadHostAnswerError(
        f"host {entry.name!r} answered something that is not {what}",
        details={"host_name": entry.name, "errors": errors[:10]},
    )
