"""Where executions are made durable: the `Journal` protocol, opened from a URL.

    sqlite:///path/to/file.sqlite3    the embedded default (journal/sqlite/)
    none                               memory only: executions are lost on restart

A backend listens to the registry (`RegistryListener`: every change under the
registry lock, before anyone can see it), reads back what it holds at start
(`load`), and tells the web layer when everything changed so far is committed
(`flushed`, awaited by `JournalBarrier` before every response).
"""

from pathlib import Path
from typing import Protocol

from host_service.engine.change import Change
from host_service.engine.record import ExecutionRecord
from host_service.journal.errors import JournalError
from host_service.journal.sqlite.journal import ExecutionJournal

SQLITE = "sqlite:///"


class Journal(Protocol):
    def changed(self, record: ExecutionRecord, change: Change) -> None: ...

    def evicted(self, execution_ids: list[str]) -> None: ...

    def load(self, max_log_lines: int, max_events: int) -> list[ExecutionRecord]:
        """Every retained record, oldest first."""
        ...

    async def flushed(self) -> bool:
        """True once every change made before this call is committed; False at once while
        the storage fails (the changes are kept and written when it recovers)."""
        ...

    def problem(self) -> str | None:
        """Why the journal cannot write now (disk full, read-only); None while it writes."""
        ...

    def numbered(
        self, after: int, limit: int, only: list[int] | None = None
    ) -> tuple[list[tuple[int, str]], int]:
        """`(execution_no, execution_id)` past `after` in creation order (or those in `only`),
        and the newest number: what the host's feed of finished executions reads."""
        ...

    def close(self) -> None: ...


def journal_url(setting: str | None, config_path: Path, host_name: str) -> str:
    """The journal's URL: the setting (a URL, a file path, or `none`), or the default file."""
    if setting is None:
        return SQLITE + str(config_path.parent / "var" / f"{host_name}.sqlite3")
    if setting.lower() == "none" or setting.startswith(SQLITE):
        return setting.lower() if setting.lower() == "none" else setting
    if "://" in setting:
        raise JournalError(f"journal {setting!r}: use sqlite:///<path> or none")
    return SQLITE + setting


def open_journal(url: str) -> Journal | None:
    """The journal at `url`; None for `none`; JournalError if it cannot be used."""
    if url == "none":
        return None
    return ExecutionJournal.open(Path(url.removeprefix(SQLITE)))


__all__ = ["Journal", "JournalError", "journal_url", "open_journal"]
