"""The host registry's rows: what a restarted proxy (or another replica) knows of each host."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import TypeAdapter
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection, RowMapping

from proxy_service.lab import notices
from proxy_service.lab.notices import Topic
from proxy_service.lab.sql import upsert
from proxy_service.lab.tables import hosts
from schemas import HostDevice

_DEVICES = TypeAdapter(list[HostDevice])


@dataclass
class HostRow:
    name: str
    url: str
    source: str  # "config" or "registered"
    devices: list[HostDevice] = field(default_factory=list)
    last_heartbeat: datetime | None = None
    last_seen: datetime | None = None
    last_error: str | None = None


def _seconds(value: datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def _time(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def save(connection: Connection, row: HostRow) -> None:
    values = {
        "name": row.name,
        "url": row.url,
        "source": row.source,
        "devices": _DEVICES.dump_json(row.devices).decode(),
        "last_heartbeat": _seconds(row.last_heartbeat),
        "last_seen": _seconds(row.last_seen),
        "last_error": row.last_error,
        "updated_at": datetime.now(UTC).timestamp(),
    }
    upsert(connection, hosts, [values], ["name"])
    notices.send(connection, Topic.host, row.name)


def _row(r: RowMapping) -> HostRow:
    return HostRow(
        name=r["name"],
        url=r["url"],
        source=r["source"],
        devices=_DEVICES.validate_python(json.loads(r["devices"])),
        last_heartbeat=_time(r["last_heartbeat"]),
        last_seen=_time(r["last_seen"]),
        last_error=r["last_error"],
    )


def load(connection: Connection) -> list[HostRow]:
    rows = connection.execute(select(hosts).order_by(hosts.c.name)).mappings()
    return [_row(r) for r in rows]


def load_one(connection: Connection, name: str) -> HostRow | None:
    found = connection.execute(select(hosts).where(hosts.c.name == name)).mappings().first()
    return None if found is None else _row(found)


def remove(connection: Connection, name: str) -> None:
    connection.execute(delete(hosts).where(hosts.c.name == name))
    notices.send(connection, Topic.host, name)
