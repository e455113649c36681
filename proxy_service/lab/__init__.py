"""The lab tier's store: hosts, queue, device health and history, on SQLite or PostgreSQL."""

from proxy_service.lab.history_rows import Cursor, HistoryFilter
from proxy_service.lab.host_rows import HostRow
from proxy_service.lab.store import LabStore, SqlLabStore, open_lab_store
from proxy_service.lab.url import LabStoreError, store_url

__all__ = [
    "Cursor",
    "HistoryFilter",
    "HostRow",
    "LabStore",
    "LabStoreError",
    "SqlLabStore",
    "open_lab_store",
    "store_url",
]
