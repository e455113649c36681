"""ExecutionJournal: every execution of a host, on disk, in SQLite.

The journal listens to the registry: under the registry lock, each change is
turned into SQL statements (the record's row, its new events, its new log
line) from a consistent snapshot, and handed to the `JournalWriter`, which
commits in batches in its own thread. No response leaves the app before the
changes made so far are committed (`flushed()`, awaited by `JournalBarrier`),
so no client sees a state the journal does not hold. SQLite runs in WAL mode
with `synchronous=NORMAL`: a commit is an append to the WAL without fsync, so
a killed process loses nothing it showed; a power cut may lose the last commits.
Checkpoints (copying the WAL into the database file, with an fsync) run in a
thread of their own every `CHECKPOINT_S`, so no commit waits for a disk flush.
"""

import sqlite3
import threading
from functools import partial
from pathlib import Path

from host_service.change import Change
from host_service.journal_rows import (
    DELETE_LOG,
    EVICT,
    INSERT,
    INSERT_EVENT,
    INSERT_LOG,
    ORDER,
    SCHEMA,
    SCHEMA_VERSION,
    UPDATE,
    insert_params,
    record_from_row,
    state_params,
)
from host_service.journal_writer import JournalWriter, Statement
from host_service.logs import execution_logger
from host_service.record import ExecutionRecord
from schemas.events import EXECUTION_EVENT, ExecutionEvent

log = execution_logger("journal")

CHECKPOINT_S = 1.0


MIN_SQLITE = (3, 33, 0)  # UPDATE ... FROM, for many rows in one statement


class JournalError(Exception):
    """The journal cannot be used; the message names the file and the cause."""


class ExecutionJournal:
    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._lock = threading.Lock()
        self.path = path
        self._closed = threading.Event()
        self._writer = JournalWriter(connection, self._lock, str(path), order=ORDER)
        self._checkpointer = threading.Thread(
            target=self._checkpoint_loop, name="journal-checkpoint", daemon=True
        )
        self._checkpointer.start()

    @classmethod
    def open(cls, path: Path) -> "ExecutionJournal":
        """Open or create the journal at `path`; JournalError names the file and the cause."""
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            needed = ".".join(map(str, MIN_SQLITE))
            raise JournalError(
                f"cannot open journal {path}: SQLite {sqlite3.sqlite_version} is too old "
                f"(the journal needs {needed} or newer)"
            )
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
        execution_id = record.execution_id
        statements: list[Statement] = []
        if change.created:
            statements.append((INSERT, execution_id, insert_params(record)))
        elif change.log_line is None:  # a log line leaves the row as it was
            statements.append((UPDATE, execution_id, state_params(record)))
        for event in change.events:  # events are never changed once made
            row = (execution_id, event.seq, event.json.decode())
            statements.append((INSERT_EVENT, execution_id, partial(tuple, row)))
        if change.log_line is not None:
            n, line = record.log_count, change.log_line
            statements.append((INSERT_LOG, execution_id, lambda: (execution_id, n, line)))
            if n > record.max_log_lines:  # keep what the record keeps, no more
                gone = n - record.max_log_lines
                statements.append((DELETE_LOG, execution_id, lambda: (execution_id, gone)))
        self._writer.enqueue(f"execution {execution_id}", statements)

    def evicted(self, execution_ids: list[str]) -> None:
        self._writer.enqueue(
            f"the eviction of {len(execution_ids)} executions",
            [
                (op, execution_id, partial(tuple, (execution_id,)))
                for execution_id in execution_ids
                for op in EVICT
            ],
        )

    async def flushed(self) -> None:
        """Return once every change made before this call is committed."""
        await self._writer.flushed()

    def close(self) -> None:
        self._writer.close()
        self._closed.set()
        self._checkpointer.join()
        with self._lock:
            self._db.close()

    # -- internals -------------------------------------------------------------------------

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


def journal_location(journal_path: Path | None, config_path: Path, host_name: str) -> Path | None:
    """Where this host's journal lives; None when configured as `none` (memory only)."""
    if journal_path is None:
        return config_path.parent / "var" / f"{host_name}.sqlite3"
    if str(journal_path).lower() == "none":
        return None
    return journal_path
