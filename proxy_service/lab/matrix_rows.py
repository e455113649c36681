"""Matrix runs' rows: a parent, and its children, each a lab request pinned to one device.

A parent is written with all of its children in one transaction: a matrix start is queued
on every device that matched, or not at all. The children are ordinary lab requests (the
dispatcher knows nothing of parents); the parent keeps only what is its own: its kind,
selector, creation time, a cancel asked of it and its idempotency key.
"""

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, RowMapping

from proxy_service.lab import queue_rows
from proxy_service.lab.queue_rows import LabRequestRow
from proxy_service.lab.tables import matrices, matrix_children, requests


@dataclass
class MatrixChildRow:
    host_name: str  # the device it is pinned to, known from the start
    device_id: str
    request: LabRequestRow


@dataclass
class MatrixRow:
    id: str
    kind: str
    selector: dict[str, Any]
    created_at: float
    cancel_requested: bool
    idempotency_key: str | None
    fingerprint: str | None
    children: list[MatrixChildRow]


def _parent(connection: Connection, row: RowMapping) -> MatrixRow:
    pins = connection.execute(
        select(matrix_children)
        .where(matrix_children.c.parent_id == row["id"])
        .order_by(matrix_children.c.position)
    ).all()
    ids = [pin.request_id for pin in pins]
    found = connection.execute(select(requests).where(requests.c.id.in_(ids))).mappings()
    by_id = {r["id"]: LabRequestRow.of(r) for r in found}
    return MatrixRow(
        id=row["id"],
        kind=row["kind"],
        selector=json.loads(row["selector"]),
        created_at=row["created_at"],
        cancel_requested=bool(row["cancel_requested"]),
        idempotency_key=row["idempotency_key"],
        fingerprint=row["fingerprint"],
        children=[MatrixChildRow(p.host_name, p.device_id, by_id[p.request_id]) for p in pins],
    )


def get(connection: Connection, parent_id: str) -> MatrixRow | None:
    row = connection.execute(select(matrices).where(matrices.c.id == parent_id)).mappings().first()
    return None if row is None else _parent(connection, row)


def key_used(connection: Connection, key: str) -> bool:
    """Whether a matrix start was made with this idempotency key."""
    found = connection.execute(select(matrices.c.id).where(matrices.c.idempotency_key == key))
    return found.first() is not None


Pin = tuple[str, str, dict[str, Any]]  # a child: host name, device id, its lab request


def add(connection: Connection, parent: dict[str, Any], children: list[Pin]) -> MatrixRow | None:
    """A new parent with its children (queued lab requests); the parent made with the same
    idempotency key if there is one; None when a lab request (not a matrix) has that key."""
    key = parent.get("idempotency_key")
    if key is not None:
        known = (
            connection.execute(select(matrices).where(matrices.c.idempotency_key == key))
            .mappings()
            .first()
        )
        if known is not None:
            return _parent(connection, known)
        taken = connection.execute(select(requests.c.id).where(requests.c.idempotency_key == key))
        if taken.first() is not None:
            return None
    connection.execute(
        matrices.insert(),
        [{**parent, "selector": json.dumps(parent["selector"]), "cancel_requested": False}],
    )
    for _, _, child in children:
        queue_rows.add(connection, child)
    pins = [
        {
            "parent_id": parent["id"],
            "position": position,
            "request_id": child["id"],
            "host_name": host_name,
            "device_id": device_id,
        }
        for position, (host_name, device_id, child) in enumerate(children)
    ]
    connection.execute(matrix_children.insert(), pins)
    made = get(connection, parent["id"])
    assert made is not None
    return made


def request_cancel(connection: Connection, parent_id: str) -> None:
    connection.execute(
        update(matrices).where(matrices.c.id == parent_id).values(cancel_requested=True)
    )
