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

from host_service.engine.change import Change
from host_service.engine.events import StoredEvent
from host_service.engine.record import ExecutionRecord
from host_service.journal.errors import JournalError
from host_service.journal.sqlite.lock import JournalLock
from host_service.journal.sqlite.migrations import MIGRATIONS, migrate
from host_service.journal.sqlite.rows import (
    DELETE_LOG,
    EVICT,
    EVICTED_UP_TO,
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
    stored_event,
)
from host_service.journal.sqlite.writer import JournalWriter, Statement
from host_service.runtime.logs import execution_logger

log = execution_logger("journal")

CHECKPOINT_S = 1.0


MIN_SQLITE = (3, 33, 0)  # UPDATE ... FROM, for many rows in one statement
CACHE_KIB = 65_536  # SQLite's page cache, at most: a retained journal's hot pages stay in memory


class ExecutionJournal:
    def __init__(self, connection: sqlite3.Connection, path: Path, lock: JournalLock) -> None:
        self._db = connection
        self._file_lock = lock
        self._lock = threading.Lock()
        self.path = path
        self._closed = threading.Event()
        self._writer = JournalWriter(connection, self._lock, str(path), order=ORDER)
        # execution_id -> execution_no, the row key; only touched under the registry lock.
        self._numbers: dict[str, int] = {}
        self._next_number = 1
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
        except OSError as exc:
            raise JournalError(f"cannot open journal {path}: {exc}") from exc
        lock = JournalLock(path)
        lock.acquire()  # before anything reads or recovers the file
        try:
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            lock.release()
            raise JournalError(f"cannot open journal {path}: {exc}") from exc
        try:
            db.row_factory = sqlite3.Row
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                raise JournalError(f"cannot open journal {path}: WAL mode refused ({mode})")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            db.execute("PRAGMA wal_autocheckpoint=0")  # the checkpoint thread does it
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version in MIGRATIONS:
                migrate(db, version)
            elif version not in (0, SCHEMA_VERSION):
                raise JournalError(
                    f"cannot open journal {path}: schema version {version}, "
                    f"this host reads version {SCHEMA_VERSION}"
                )
            db.executescript(SCHEMA)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            db.close()
            lock.release()
            raise JournalError(f"cannot open journal {path}: {exc}") from exc
        except JournalError:
            db.close()
            lock.release()
            raise
        return cls(db, path, lock)

    def load(self, max_log_lines: int, max_events: int) -> list[ExecutionRecord]:
        """Every execution in the journal with its events and logs, oldest first."""
        try:
            with self._lock:
                rows = self._db.execute("SELECT * FROM executions ORDER BY execution_no")
                by_number = {
                    row["execution_no"]: record_from_row(row, max_log_lines, max_events)
                    for row in rows
                }
                # As bytes, the form the log keeps: no text copy to make and drop per event.
                events = self._db.execute(
                    "SELECT execution_no, seq, CAST(body AS BLOB) FROM events"
                    " ORDER BY execution_no, seq"
                )
                loaded: dict[int, list[StoredEvent]] = {}
                for number, seq, body in events:
                    loaded.setdefault(number, []).append(stored_event(seq, body))
                for number, items in loaded.items():
                    record = by_number.get(number)
                    if record is not None:
                        record.events.restore(items, record.status.terminal)
                lines = self._db.execute(
                    "SELECT execution_no, n, line FROM logs ORDER BY execution_no, n"
                )
                for number, n, line in lines:
                    record = by_number.get(number)
                    if record is not None:
                        record.append_log(line)
                        record.logs_dropped = n - len(record.logs)
                self._numbers = {r.execution_id: number for number, r in by_number.items()}
                given = self._db.execute("SELECT last_no FROM numbering").fetchone()
                self._next_number = max(max(by_number, default=0), given[0] if given else 0) + 1
                records = list(by_number.values())
        except (sqlite3.Error, ValueError) as exc:
            raise JournalError(f"cannot read journal {self.path}: {exc}") from exc
        return records

    # -- registry listener -----------------------------------------------------------------

    def changed(self, record: ExecutionRecord, change: Change) -> None:
        execution_id = record.execution_id
        number = self._number(execution_id)
        statements: list[Statement] = []
        if change.created:
            statements.append((INSERT, execution_id, insert_params(record, number)))
        elif change.log_line is None:  # a log line leaves the row as it was
            statements.append((UPDATE, execution_id, state_params(record, number)))
        for event in change.events:  # events are never changed once made
            row = (number, event.seq, event.json.decode())
            statements.append((INSERT_EVENT, execution_id, partial(tuple, row)))
        if change.log_line is not None:
            n, line = record.log_count, change.log_line
            statements.append((INSERT_LOG, execution_id, partial(tuple, (number, n, line))))
            if n > record.max_log_lines:  # keep what the record keeps, no more
                gone = (number, n - record.max_log_lines)
                statements.append((DELETE_LOG, execution_id, partial(tuple, gone)))
        self._writer.enqueue(f"execution {execution_id}", statements)

    def evicted(self, execution_ids: list[str]) -> None:
        numbers = [(i, self._numbers.pop(i)) for i in execution_ids if i in self._numbers]
        if not numbers:
            return
        statements: list[Statement] = [
            (op, execution_id, partial(tuple, (number,)))
            for execution_id, number in numbers
            for op in EVICT
        ]
        up_to = max(number for _, number in numbers)
        statements.append((EVICTED_UP_TO, "numbering", partial(tuple, (up_to,))))
        self._writer.enqueue(f"the eviction of {len(execution_ids)} executions", statements)

    def numbered(
        self, after: int, limit: int, only: list[int] | None = None
    ) -> tuple[list[tuple[int, str]], int]:
        """`(execution_no, execution_id)` of kept executions past `after` in creation order
        (or of the numbers in `only`), and the newest number: the host's feed reads these."""
        where, params = ("execution_no > ?", [after])
        if only is not None:
            where, params = (f"execution_no IN ({', '.join('?' * len(only))})", list(only))
        try:
            with self._lock:
                rows = self._db.execute(
                    f"SELECT execution_no, execution_id FROM executions WHERE {where} "  # noqa: S608  # placeholders only
                    "ORDER BY execution_no LIMIT ?",
                    [*params, limit],
                ).fetchall()
                newest = self._db.execute("SELECT max(execution_no) FROM executions").fetchone()
        except sqlite3.Error as exc:
            raise JournalError(f"cannot read journal {self.path}: {exc}") from exc
        return [(n, i) for n, i in rows], max(newest[0] or 0, self._next_number - 1)

    async def flushed(self) -> bool:
        """True once every change made before this call is committed; False while the
        storage fails (the changes are kept and written when it recovers)."""
        return await self._writer.flushed()

    def problem(self) -> str | None:
        """Why the journal cannot write now; None while it writes."""
        return self._writer.problem()

    def close(self) -> None:
        self._writer.close()
        self._closed.set()
        self._checkpointer.join()
        with self._lock:
            self._db.close()
        self._file_lock.release()

    # -- internals -------------------------------------------------------------------------

    def _number(self, execution_id: str) -> int:
        """The execution's row key; a new execution takes the next one."""
        number = self._numbers.get(execution_id)
        if number is None:
            number = self._numbers[execution_id] = self._next_number
            self._next_number += 1
        return number

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
