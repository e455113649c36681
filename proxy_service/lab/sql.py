"""SQL that differs between the store's two databases, in one place."""

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, Table, cast, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


@functools.cache
def _insert(
    dialect_name: str, table: Table, keys: tuple[str, ...], updated: tuple[str, ...] | None
) -> Any:
    """The statement, built once per shape: building costs more than a small insert."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(table)
    if updated is None:
        return statement.on_conflict_do_nothing(index_elements=keys)
    return statement.on_conflict_do_update(
        index_elements=keys, set_={c: statement.excluded[c] for c in updated}
    )


def upsert(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> None:
    """Insert `rows`, or update every other column of the row with the same `keys`."""
    if not rows:
        return
    updated = tuple(c for c in rows[0] if c not in keys)
    connection.execute(_insert(connection.dialect.name, table, tuple(keys), updated), rows)


def insert_new(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> None:
    """Insert the rows whose `keys` are not in the table yet; the others are left as they are."""
    if rows:
        connection.execute(_insert(connection.dialect.name, table, tuple(keys), None), rows)


def floor(connection: Connection, value: ColumnElement[Any]) -> ColumnElement[int]:
    """The largest integer not above `value` (PostgreSQL's integer cast rounds instead)."""
    if connection.dialect.name == "postgresql":
        return cast(func.floor(value), BigInteger)
    return cast(value, Integer)  # SQLite truncates; times here are never negative
