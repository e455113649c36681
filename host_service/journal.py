"""ExecutionJournal: every execution of a host, on disk, in SQLite.

The journal listens to the registry: each change is written (one transaction:
the record's row, its new events, its new log line) under the registry lock,
so no client sees a state the journal does not hold. SQLite runs in WAL mode
with `synchronous=NORMAL`: a commit is an append to the WAL without fsync, so
a killed process loses nothing; a power cut may lose the last commits.
One connection, serialised by a lock, is shared by the threads that write.
Checkpoints (copying the WAL into the database file, with an fsync) run in a
thread of their own every `CHECKPOINT_S`, so no write waits for a disk flush.
"""

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from host_service.change import Change
from host_service.journal_rows import (
    INSERT,
    SCHEMA,
    SCHEMA_VERSION,
    UPDATE,
    insert_values,
    record_from_row,
    state_values,
)
from host_service.logs import execution_logger
from host_service.record import ExecutionRecord
from schemas.events import EXECUTION_EVENT, ExecutionEvent

log = execution_logger("journal")

CHECKPOINT_S = 1.0


class JournalError(Exception):
    """The journal cannot be used; the message names the file and the cause."""


class ExecutionJournal:
    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._lock = threading.Lock()
        self.path = path
        self._closed = threading.Event()
        self._reporting = threading.local()  # set while a write failure is being logged
        self._checkpointer = threading.Thread(
            target=self._checkpoint_loop, name="journal-checkpoint", daemon=True
        )
        self._checkpointer.start()

    @classmethod
    def open(cls, path: Path) -> "ExecutionJournal":
        """Open or create the journal at `path`; JournalError names the file and the cause."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise JournalError(f"cannot open journal {path}: {exc}") from exc
        try:
            db.row_factory = sqlite3.Row
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                raise JournalError(f"cannot open journal {path}: WAL mode refused ({mode})")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA wal_autocheckpoint=0")  # the checkpoint thread does it
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise JournalError(
                    f"cannot open journal {path}: schema version {version}, "
                    f"this host reads version {SCHEMA_VERSION}"
                )
            db.executescript(SCHEMA)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            db.close()
            raise JournalError(f"cannot open journal {path}: {exc}") from exc
        except JournalError:
            db.close()
            raise
        return cls(db, path)

    def load(self, max_log_lines: int, max_events: int) -> list[ExecutionRecord]:
        """Every execution in the journal with its events and logs, oldest first."""
        try:
            with self._lock:
                rows = self._db.execute("SELECT * FROM executions ORDER BY rowid").fetchall()
                records = [record_from_row(r, max_log_lines, max_events) for r in rows]
                by_id = {r.execution_id: r for r in records}
                events = self._db.execute("SELECT execution_id, body FROM events ORDER BY 1, seq")
                loaded: dict[str, list[ExecutionEvent]] = {}
                for execution_id, body in events:
                    loaded.setdefault(execution_id, []).append(EXECUTION_EVENT.validate_json(body))
                for execution_id, items in loaded.items():
                    if execution_id in by_id:
                        by_id[execution_id].events.restore(items)
                lines = self._db.execute("SELECT execution_id, n, line FROM logs ORDER BY 1, n")
                for execution_id, n, line in lines:
                    record = by_id.get(execution_id)
                    if record is not None:
                        record.append_log(line)
                        record.logs_dropped = n - len(record.logs)
        except (sqlite3.Error, ValueError) as exc:
            raise JournalError(f"cannot read journal {self.path}: {exc}") from exc
        return records

    # -- registry listener -----------------------------------------------------------------

    def changed(self, record: ExecutionRecord, change: Change) -> None:
        def write() -> None:
            if change.created:
                self._db.execute(INSERT, insert_values(record))
            elif change.log_line is None:  # a log line leaves the row as it was
                self._db.execute(UPDATE, state_values(record))
            for event in change.events:
                self._db.execute(
                    "INSERT INTO events (execution_id, seq, body) VALUES (?, ?, ?)",
                    (event.execution_id, event.seq, event.model_dump_json()),
                )
            if change.log_line is not None:
                self._append_log(record, change.log_line)

        self._transaction(write, f"execution {record.execution_id}")

    def evicted(self, execution_ids: list[str]) -> None:
        def write() -> None:
            params = [(i,) for i in execution_ids]
            for table in ("executions", "events", "logs"):
                self._db.executemany(
                    f"DELETE FROM {table} WHERE execution_id = ?",  # noqa: S608 - fixed names
                    params,
                )

        self._transaction(write, f"the eviction of {len(execution_ids)} executions")

    def close(self) -> None:
        self._closed.set()
        self._checkpointer.join()
        with self._lock:
            self._db.close()

    # -- internals -------------------------------------------------------------------------

    def _append_log(self, record: ExecutionRecord, line: str) -> None:
        n = record.log_count
        self._db.execute(
            "INSERT INTO logs (execution_id, n, line) VALUES (?, ?, ?)",
            (record.execution_id, n, line),
        )
        if n > record.max_log_lines:  # keep what the record keeps, no more
            self._db.execute(
                "DELETE FROM logs WHERE execution_id = ? AND n = ?",
                (record.execution_id, n - record.max_log_lines),
            )

    def _checkpoint_loop(self) -> None:
        checkpoints = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            while not self._closed.wait(CHECKPOINT_S):
                try:
                    checkpoints.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:
                    log.exception("journal %s: checkpoint failed", self.path)
            checkpoints.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            checkpoints.close()

    def _transaction(self, write: Callable[[], None], what: str) -> None:
        if getattr(self._reporting, "active", False):
            return  # the log line about our own failure: it cannot be written either
        try:
            with self._lock:
                try:
                    self._db.execute("BEGIN")
                    write()
                    self._db.execute("COMMIT")
                except sqlite3.Error:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
        except sqlite3.Error:
            # Serving on beats stopping every execution; the operator sees why in the logs.
            self._reporting.active = True
            try:
                log.exception("journal %s: cannot write %s", self.path, what)
            finally:
                self._reporting.active = False


def journal_location(journal_path: Path | None, config_path: Path, host_name: str) -> Path | None:
    """Where this host's journal lives; None when configured as `none` (memory only)."""
    if journal_path is None:
        return config_path.parent / "var" / f"{host_name}.sqlite3"
    if str(journal_path).lower() == "none":
        return None
    return journal_path
