"""Device health rows: errors in a row of each device, and the holds on devices and hosts.

A device whose lab executions end in `error` (a tooling fault, not a failed test) `limit`
times in a row is quarantined; any other end sets the count back to 0. Operators drain,
quarantine and release devices, or whole hosts (the row with device id `HOST`).
"""

from dataclasses import dataclass, replace

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from proxy_service.lab import notices
from proxy_service.lab.notices import Topic
from proxy_service.lab.sql import upsert
from proxy_service.lab.tables import device_health

HOST = "*"  # the device id of a hold on a whole host
QUARANTINED, DRAINING = "quarantined", "draining"


@dataclass(frozen=True)
class Health:
    host_name: str
    device_id: str
    errors_in_row: int = 0
    hold: str | None = None
    reason: str | None = None
    since: float | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.host_name, self.device_id


def _save(connection: Connection, health: Health, now: float) -> None:
    values = {
        "host_name": health.host_name,
        "device_id": health.device_id,
        "errors_in_row": health.errors_in_row,
        "hold": health.hold,
        "reason": health.reason,
        "since": health.since,
        "updated_at": now,
    }
    upsert(connection, device_health, [values], ["host_name", "device_id"])


_c = device_health.c
# Built once: every end of a lab execution reads its device's row.
_BY_KEY = select(device_health).where(
    _c.host_name == bindparam("host"), _c.device_id == bindparam("device")
)


def get(connection: Connection, host_name: str, device_id: str) -> Health:
    found = connection.execute(_BY_KEY, {"host": host_name, "device": device_id})
    row = found.mappings().first()
    if row is None:
        return Health(host_name, device_id)
    return Health(
        row["host_name"],
        row["device_id"],
        row["errors_in_row"],
        row["hold"],
        row["reason"],
        row["since"],
    )


_EVERY = select(device_health)


def every(connection: Connection) -> dict[tuple[str, str], Health]:
    """Every device (and host) with errors in a row or a hold."""
    rows = connection.execute(_EVERY).mappings()
    return {
        (r["host_name"], r["device_id"]): Health(
            r["host_name"], r["device_id"], r["errors_in_row"], r["hold"], r["reason"], r["since"]
        )
        for r in rows
    }


@dataclass(frozen=True)
class Outcome:
    """How a lab execution ended on its device, as its health counts it."""

    host_name: str
    device_id: str
    error: bool  # ended in `error`: a tooling fault
    reason: str
    limit: int  # errors in a row that quarantine it; 0: never


def record(
    connection: Connection,
    host_name: str,
    device_id: str,
    error: bool,
    limit: int,
    reason: str,
    now: float,
) -> bool:
    """Count one lab execution's end on a device; True when it quarantined the device."""
    known = get(connection, host_name, device_id)
    if not error:
        if known.errors_in_row:
            _save(connection, replace(known, errors_in_row=0), now)
        return False
    errors = known.errors_in_row + 1
    quarantine = known.hold is None and 0 < limit <= errors
    if quarantine:
        shown = f"{errors} lab executions in a row ended in error; the last: {reason}"
        _save(connection, Health(host_name, device_id, errors, QUARANTINED, shown, now), now)
    else:
        _save(connection, replace(known, errors_in_row=errors), now)
    return quarantine


def hold(
    connection: Connection,
    host_name: str,
    device_id: str,
    state: str | None,
    reason: str,
    now: float,
) -> Health:
    """Put a hold on a device (or a host); `state` None releases it and clears its errors."""
    known = get(connection, host_name, device_id)
    if state is None:
        changed = Health(host_name, device_id)
    elif known.hold == state:
        changed = known  # held already: keep since when
    else:
        changed = Health(host_name, device_id, known.errors_in_row, state, reason, now)
    _save(connection, changed, now)
    notices.send(connection, Topic.queue)  # a device taken from the lab, or given back
    return changed
