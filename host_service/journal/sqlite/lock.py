"""JournalLock: one host process per journal file, or the second one would damage the first.

A second process on the same journal used to recover it first (marking the live
host's running executions `interrupted`), then fail on its port, while the live
host lost events on `UNIQUE constraint failed`. The lock is taken before the
journal is touched and names the process that holds it. `flock` locks end with
the process, so a host killed with `kill -9` leaves nothing to clean up.
"""

import fcntl
import os
from pathlib import Path
from typing import IO

from host_service.journal.errors import JournalError


class JournalLock:
    def __init__(self, journal: Path) -> None:
        self.path = journal.with_name(journal.name + ".lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Hold the lock or raise JournalError naming the process that holds it."""
        try:
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise JournalError(f"cannot lock journal {self.path}: {exc}") from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise JournalError(
                f"journal {self.path.with_suffix('')} is in use by process {holder}; "
                "one host per journal"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
