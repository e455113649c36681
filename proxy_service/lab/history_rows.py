"""Lab-wide history rows: recorded from the hosts' feeds, read newest first with filters."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select, tuple_
from sqlalchemy.engine import Connection, RowMapping

from proxy_service.lab.packed import pack, unpack
from proxy_service.lab.sql import insert_new
from proxy_service.lab.tables import history
from schemas import ExecutionKind, ExecutionStatus, ExecutionView
from schemas.history import FeedEntry, HistoryItem

MESSAGE_MAX = 500  # the history keeps the gist; the full view is in `view`


@dataclass
class HistoryFilter:
    host_name: str | None = None
    device_id: str | None = None
    model: str | None = None
    tags: list[str] = field(default_factory=list)  # all of them
    kind: ExecutionKind | None = None
    testcase_id: str | None = None
    campaign_id: str | None = None
    status: ExecutionStatus | None = None
    success: bool | None = None
    started_after: datetime | None = None  # created_at, when the start was accepted
    started_before: datetime | None = None


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last item's (created_at, id); the next page is older."""

    created_at: float
    id: int

    def encode(self) -> str:
        return f"{self.created_at!r}_{self.id}"

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        """ValueError when it is not a cursor this store gave out."""
        created, _, row_id = text.partition("_")
        return cls(float(created), int(row_id))


def _seconds(value: datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def _time(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def tags_text(tags: list[str]) -> str:
    return f",{','.join(tags)}," if tags else ""


def success_of(view: ExecutionView) -> bool | None:
    if view.status is not ExecutionStatus.completed or view.result is None:
        return None
    return view.result.success


def row_of(host_name: str, entry: FeedEntry, lab_id: str | None = None) -> dict[str, Any]:
    view = entry.view
    return {
        "host_name": host_name,
        "execution_id": view.execution_id,
        "execution_no": entry.execution_no,
        "kind": view.kind.value,
        "device_id": view.device_id,
        "model": entry.model,
        "tags": tags_text(entry.tags),
        "definition_id": entry.definition_id,
        "status": view.status.value,
        "success": success_of(view),
        "error_code": None if view.error is None else view.error.code,
        "message": view.message[:MESSAGE_MAX],
        "created_at": view.created_at.timestamp(),
        "started_at": _seconds(view.started_at),
        "finished_at": _seconds(view.finished_at),
        "elapsed_ms": view.elapsed_ms,
        "lab_execution_id": lab_id,
        "view": pack(view.model_dump_json().encode()),
    }


def record(
    connection: Connection,
    host_name: str,
    entries: list[FeedEntry],
    lab_ids: dict[str, str] | None = None,
) -> None:
    """Record finished executions, each with the lab request it ran for (`lab_ids`, by
    execution id); one already recorded is left as it is (never twice)."""
    known = lab_ids or {}
    rows = [row_of(host_name, e, known.get(e.view.execution_id)) for e in entries]
    insert_new(connection, history, rows, ["host_name", "execution_id"])


def conditions(f: HistoryFilter) -> list[ColumnElement[bool]]:
    c = history.c
    found: list[ColumnElement[bool]] = []
    equal = {
        c.host_name: f.host_name,
        c.device_id: f.device_id,
        c.model: f.model,
        c.kind: None if f.kind is None else f.kind.value,
        c.status: None if f.status is None else f.status.value,
        c.success: f.success,
    }
    found += [column == value for column, value in equal.items() if value is not None]
    by_definition = (
        (ExecutionKind.testcase, f.testcase_id),
        (ExecutionKind.campaign, f.campaign_id),
    )
    for kind, definition in by_definition:
        if definition is not None:
            found += [c.kind == kind.value, c.definition_id == definition]
    found += [c.tags.contains(f",{tag},", autoescape=True) for tag in f.tags]
    if f.started_after is not None:
        found.append(c.created_at >= f.started_after.timestamp())
    if f.started_before is not None:
        found.append(c.created_at < f.started_before.timestamp())
    return found


def item_of(row: RowMapping) -> HistoryItem:
    return HistoryItem(
        host_name=row["host_name"],
        execution_id=row["execution_id"],
        kind=ExecutionKind(row["kind"]),
        device_id=row["device_id"],
        model=row["model"],
        tags=[t for t in row["tags"].split(",") if t],
        definition_id=row["definition_id"],
        status=ExecutionStatus(row["status"]),
        success=row["success"],
        error_code=row["error_code"],
        message=row["message"],
        created_at=datetime.fromtimestamp(row["created_at"], UTC),
        started_at=_time(row["started_at"]),
        finished_at=_time(row["finished_at"]),
        elapsed_ms=row["elapsed_ms"],
        lab_execution_id=row["lab_execution_id"],
    )


SUMMARY = [column for column in history.c if column.name != "view"]


def page(
    connection: Connection, f: HistoryFilter, after: Cursor | None, limit: int
) -> tuple[list[HistoryItem], Cursor | None]:
    """Newest first, `limit` items older than `after`; the cursor of the next page, if any."""
    c = history.c
    where = conditions(f)
    if after is not None:
        where.append(tuple_(c.created_at, c.id) < tuple_(after.created_at, after.id))
    query = (
        select(*SUMMARY)
        .where(and_(True, *where))
        .order_by(c.created_at.desc(), c.id.desc())
        .limit(limit + 1)
    )
    rows = connection.execute(query).mappings().all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = Cursor(rows[-1]["created_at"], rows[-1]["id"]) if more else None
    return [item_of(r) for r in rows], last


def view(connection: Connection, host_name: str, execution_id: str) -> bytes | None:
    """The recorded view's JSON of one execution, or None when it was not recorded."""
    c = history.c
    found = connection.execute(
        select(c.view).where(c.host_name == host_name, c.execution_id == execution_id)
    ).scalar()
    return None if found is None else unpack(found)
