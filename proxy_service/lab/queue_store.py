"""The lab queue's part of the store: the calls the start routes and the dispatcher make."""

import time
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol, TypeVar

from sqlalchemy.engine import Connection

from proxy_service.lab import attempt_rows, queue_listing, queue_rows
from proxy_service.lab.health_rows import Outcome
from proxy_service.lab.queue_rows import LabRequestRow

T = TypeVar("T")


class LabQueue(Protocol):
    async def add_request(self, values: dict[str, Any]) -> LabRequestRow: ...
    async def lab_request(self, request_id: str) -> LabRequestRow | None: ...
    async def queued(
        self, limit: int, after: tuple[int, int] | None = None
    ) -> list[LabRequestRow]: ...
    async def holding(self) -> set[tuple[str, str]]: ...
    async def claim(self, claims: list[tuple[str, str, str]], by: str) -> set[str]: ...
    async def request_running(
        self, request_id: str, host_execution_id: str, attempt: int
    ) -> tuple[bool, bool]: ...
    async def release_request(
        self, request_id: str, attempt: int, exclude: str | None = None
    ) -> bool: ...
    async def finish_request(
        self,
        request_id: str,
        attempt: int,
        status: str,
        *,
        error: dict[str, Any] | None = None,
    ) -> bool: ...
    async def settle_request(
        self,
        request_id: str,
        attempt: int,
        status: str,
        *,
        view: bytes,
        exclude: str | None,
        outcome: Outcome,
    ) -> tuple[str | None, bool]: ...
    async def request_cancel(self, request_id: str) -> None: ...
    async def cancel_queued(self, request_id: str) -> bool: ...
    async def expire_requests(self, now: float) -> list[str]: ...
    async def request_position(self, row: LabRequestRow) -> int: ...
    async def unsettled(self) -> list[LabRequestRow]: ...
    async def waiting(self, offset: int, limit: int) -> tuple[list[LabRequestRow], int]: ...


class QueueCalls:
    """`LabQueue` over the store's `run` (one transaction per call, in a store thread)."""

    async def run(self, work: Callable[[Connection], T]) -> T:
        raise NotImplementedError  # SqlLabStore's

    async def add_request(self, values: dict[str, Any]) -> LabRequestRow:
        return await self.run(partial(queue_rows.add, values=values))

    async def lab_request(self, request_id: str) -> LabRequestRow | None:
        return await self.run(partial(queue_rows.get, request_id=request_id))

    async def queued(self, limit: int, after: tuple[int, int] | None = None) -> list[LabRequestRow]:
        return await self.run(partial(queue_rows.queued, limit=limit, after=after))

    async def holding(self) -> set[tuple[str, str]]:
        return await self.run(queue_rows.holding)

    async def claim(self, claims: list[tuple[str, str, str]], by: str) -> set[str]:
        if not claims:
            return set()
        return await self.run(partial(queue_rows.claim, claims=claims, by=by, now=time.time()))

    async def request_running(
        self, request_id: str, host_execution_id: str, attempt: int
    ) -> tuple[bool, bool]:
        work = partial(
            attempt_rows.running,
            request_id=request_id,
            host_execution_id=host_execution_id,
            attempt=attempt,
        )
        return await self.run(work)

    async def release_request(
        self, request_id: str, attempt: int, exclude: str | None = None
    ) -> bool:
        work = partial(
            attempt_rows.release, request_id=request_id, exclude=exclude, attempt=attempt
        )
        return await self.run(work)

    async def finish_request(
        self,
        request_id: str,
        attempt: int,
        status: str,
        *,
        error: dict[str, Any] | None = None,
    ) -> bool:
        work = partial(
            attempt_rows.finish,
            request_id=request_id,
            attempt=attempt,
            status_=status,
            now=time.time(),
            error=error,
        )
        return await self.run(work)

    async def settle_request(
        self,
        request_id: str,
        attempt: int,
        status: str,
        *,
        view: bytes,
        exclude: str | None,
        outcome: Outcome,
    ) -> tuple[str | None, bool]:
        work = partial(
            attempt_rows.settle,
            request_id=request_id,
            attempt=attempt,
            status_=status,
            now=time.time(),
            view=view,
            exclude=exclude,
            outcome=outcome,
        )
        return await self.run(work)

    async def request_cancel(self, request_id: str) -> None:
        await self.run(partial(queue_rows.request_cancel, request_id=request_id))

    async def cancel_queued(self, request_id: str) -> bool:
        return await self.run(
            partial(queue_rows.cancel_queued, request_id=request_id, now=time.time())
        )

    async def expire_requests(self, now: float) -> list[str]:
        return await self.run(partial(queue_rows.expire, now=now))

    async def request_position(self, row: LabRequestRow) -> int:
        return await self.run(partial(queue_rows.position, row=row))

    async def unsettled(self) -> list[LabRequestRow]:
        return await self.run(queue_rows.unsettled)

    async def waiting(self, offset: int, limit: int) -> tuple[list[LabRequestRow], int]:
        return await self.run(partial(queue_listing.waiting, offset=offset, limit=limit))
