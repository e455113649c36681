"""Matrix runs' part of the store: the calls the matrix start and views make."""

from collections.abc import Callable
from functools import partial
from typing import Any, Protocol, TypeVar

from sqlalchemy.engine import Connection

from proxy_service.lab import matrix_rows
from proxy_service.lab.matrix_rows import MatrixRow, Pin

T = TypeVar("T")


class MatrixQueue(Protocol):
    async def add_matrix(self, parent: dict[str, Any], children: list[Pin]) -> MatrixRow | None: ...
    async def matrix(self, parent_id: str) -> MatrixRow | None: ...
    async def matrix_key_used(self, key: str) -> bool: ...
    async def request_matrix_cancel(self, parent_id: str) -> None: ...


class MatrixCalls:
    """`MatrixQueue` over the store's `run` (one transaction per call, in a store thread)."""

    async def run(self, work: Callable[[Connection], T]) -> T:
        raise NotImplementedError  # SqlLabStore's

    async def add_matrix(self, parent: dict[str, Any], children: list[Pin]) -> MatrixRow | None:
        return await self.run(partial(matrix_rows.add, parent=parent, children=children))

    async def matrix(self, parent_id: str) -> MatrixRow | None:
        return await self.run(partial(matrix_rows.get, parent_id=parent_id))

    async def matrix_key_used(self, key: str) -> bool:
        return await self.run(partial(matrix_rows.key_used, key=key))

    async def request_matrix_cancel(self, parent_id: str) -> None:
        await self.run(partial(matrix_rows.request_cancel, parent_id=parent_id))
