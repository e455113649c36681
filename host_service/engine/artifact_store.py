"""ArtifactStore: the files of every execution's artifacts, `<root>/<execution_id>/<name>`.

A file is written (under a hidden name, then renamed) before its record lists it, so
a listed artifact has its file; one that no record lists (the host died in between,
or its record was evicted while the host was down) is removed at startup (`sweep`).
Files leave with their record: the store listens to the registry, and a thread of
its own removes evicted records' folders, so the registry lock never waits for a disk.
Each execution keeps at most `max_count` artifacts and `max_bytes` bytes of them:
past either, the oldest go (`admit`).
"""

import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from host_service.engine.artifact import Artifact
from host_service.engine.change import Change
from host_service.engine.record import ExecutionRecord


class ArtifactStore:
    def __init__(
        self, root: Path, max_count: int, max_bytes: int, *, temporary: bool = False
    ) -> None:
        """`temporary`: the folder is the host's own (memory-only host) and goes at `close`."""
        self.root = root
        self.max_count = max_count
        self.max_bytes = max_bytes
        self._temporary = temporary
        self._remover = ThreadPoolExecutor(max_workers=1, thread_name_prefix="artifact-remover")

    @classmethod
    def temporary(cls, host_name: str, max_count: int, max_bytes: int) -> "ArtifactStore":
        root = Path(tempfile.mkdtemp(prefix=f"{host_name}-artifacts-"))
        return cls(root, max_count, max_bytes, temporary=True)

    # -- files -----------------------------------------------------------------------------

    def write(self, execution_id: str, name: str, data: bytes) -> None:
        """Write the file whole before anyone can see it; OSError if the disk refuses."""
        folder = self.root / execution_id
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{name}.part"
        partial.write_bytes(data)
        partial.replace(folder / name)

    def open(self, execution_id: str, name: str) -> BinaryIO:
        """The file of a listed artifact (`name` comes from its record, never from a URL)."""
        return (self.root / execution_id / name).open("rb")

    def remove(self, execution_id: str, artifacts: Iterable[Artifact]) -> None:
        for artifact in artifacts:
            (self.root / execution_id / artifact.name).unlink(missing_ok=True)

    # -- the cap per execution -------------------------------------------------------------

    def fits(self, artifact: Artifact) -> bool:
        """Whether the artifact can be kept at all (alone, it is within the bytes cap)."""
        return artifact.bytes <= self.max_bytes

    def admit(self, record: ExecutionRecord, artifact: Artifact) -> list[Artifact]:
        """List `artifact` on `record` within the caps; the older ones dropped to make room.

        Called under the registry lock; the caller removes the dropped files after it.
        """
        kept = [*record.artifacts, artifact]
        total = sum(a.bytes for a in kept)
        dropped = []
        while len(kept) > self.max_count or total > self.max_bytes:
            oldest = kept.pop(0)
            total -= oldest.bytes
            dropped.append(oldest)
        record.artifacts = kept  # replaced, never mutated: the journal encodes a snapshot
        record.artifacts_dropped += len(dropped)
        return dropped

    # -- retention: a registry listener ----------------------------------------------------

    def changed(self, record: ExecutionRecord, change: Change) -> None:
        return None  # artifacts change through `admit`; only evictions concern the files

    def evicted(self, execution_ids: list[str]) -> None:
        try:
            self._remover.submit(self._remove_folders, list(execution_ids))
        except RuntimeError:  # closed: the host is stopping, nothing waits for the lock now
            self._remove_folders(execution_ids)

    def sweep(self, records: Iterable[ExecutionRecord]) -> None:
        """At startup: remove every file that no retained record lists."""
        listed = {r.execution_id: {a.name for a in r.artifacts} for r in records}
        for folder in self.root.iterdir():
            names = listed.get(folder.name)
            if names is None or not folder.is_dir():
                _remove(folder)
                continue
            for path in folder.iterdir():
                if path.name not in names:
                    _remove(path)

    def close(self) -> None:
        self._remover.shutdown(wait=True)
        if self._temporary:
            shutil.rmtree(self.root, ignore_errors=True)

    def _remove_folders(self, execution_ids: list[str]) -> None:
        for execution_id in execution_ids:
            shutil.rmtree(self.root / execution_id, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
