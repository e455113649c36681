"""The lab queue as a list: the requests still waiting for a device, in dispatch order."""

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from proxy_service.lab.queue_rows import QUEUED, LabRequestRow
from proxy_service.lab.tables import requests


def waiting(connection: Connection, offset: int, limit: int) -> tuple[list[LabRequestRow], int]:
    """A page of the waiting requests (priority, higher first, then arrival) and how many
    wait in all; read without locks, so it never holds up a dispatcher."""
    c = requests.c
    page = (
        select(requests)
        .where(c.state == QUEUED)
        .order_by(c.priority.desc(), c.seq)
        .offset(offset)
        .limit(limit)
    )
    rows = [LabRequestRow.of(r) for r in connection.execute(page).mappings()]
    total = connection.execute(
        select(func.count()).select_from(requests).where(c.state == QUEUED)
    ).scalar()
    return rows, int(total or 0)
