"""SQL that differs between the store's two databases, in one place."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, Table, cast, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def _insert(connection: Connection, table: Table) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def upsert(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> None:
    """Insert `rows`, or update every other column of the row with the same `keys`."""
    if not rows:
        return
    statement = _insert(connection, table)
    updated = {c: statement.excluded[c] for c in rows[0] if c not in keys}
    connection.execute(statement.on_conflict_do_update(index_elements=keys, set_=updated), rows)


def insert_new(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> None:
    """Insert the rows whose `keys` are not in the table yet; the others are left as they are."""
    if rows:
        statement = _insert(connection, table).on_conflict_do_nothing(index_elements=keys)
        connection.execute(statement, rows)


def floor(connection: Connection, value: ColumnElement[Any]) -> ColumnElement[int]:
    """The largest integer not above `value` (PostgreSQL's integer cast rounds instead)."""
    if connection.dialect.name == "postgresql":
        return cast(func.floor(value), BigInteger)
    return cast(value, Integer)  # SQLite truncates; times here are never negative
