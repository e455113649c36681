"""Where the lab store lives: `PROXY_DATABASE_URL`, or a SQLite file next to the proxy config."""

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

BACKENDS = {"sqlite": "sqlite+pysqlite", "postgresql": "postgresql+psycopg"}


class LabStoreError(Exception):
    """The lab store cannot be used; the message names the database and the cause."""


def default_location(config_path: Path) -> Path:
    return config_path.parent / "var" / "lab.sqlite3"


def store_url(database_url: str | None, config_path: Path) -> URL:
    """The SQLAlchemy URL of the store, with the driver this project uses for its backend."""
    if database_url is None:
        return URL.create("sqlite+pysqlite", database=str(default_location(config_path)))
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise LabStoreError(f"PROXY_DATABASE_URL is not a database URL: {exc}") from exc
    backend = url.get_backend_name()
    if backend not in BACKENDS:
        raise LabStoreError(
            f"PROXY_DATABASE_URL: unsupported database {backend!r}; "
            "use postgresql://user@host/db or sqlite:///path"
        )
    if backend == "sqlite" and not url.database:
        raise LabStoreError("PROXY_DATABASE_URL: a SQLite store needs a file path")
    return url.set(drivername=BACKENDS[backend])


def shown(url: URL) -> str:
    """The URL for messages and logs, as users write it: never the password."""
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)
