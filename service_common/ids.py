"""Execution ids (a host's executions, the lab's): version-4 UUIDs from the OS's random
source, read 256 at a time.

`uuid.uuid4()` reads `os.urandom` for every id. That call releases the GIL,
and while other threads are busy (a host's execution threads and journal writer, the
lab store's writer), the event loop then waits up to a switch interval (5 ms) to get it
back, on every start (bench/README.md). One read per 256 ids keeps the same randomness.
"""

import os
import threading
import uuid

_BATCH = 256


class ExecutionIds:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._block = b""
        self._offset = 0

    def new(self) -> str:
        with self._lock:
            if self._offset >= len(self._block):
                self._block = os.urandom(16 * _BATCH)
                self._offset = 0
            raw = self._block[self._offset : self._offset + 16]
            self._offset += 16
        return str(uuid.UUID(bytes=raw, version=4))
