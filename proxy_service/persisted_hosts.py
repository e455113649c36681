"""The host registry kept in the lab store: saved on every change, taken back at start, and
brought up to date with what other replicas on the same store wrote (docs/lab.md)."""

from datetime import UTC, datetime
from typing import Literal

from proxy_service.hosts import Clock, HostEntry, HostRegistry
from proxy_service.lab import HostRow, LabStore
from schemas import HostHeartbeat, HostStatus


def row_of(entry: HostEntry) -> HostRow:
    return HostRow(
        name=entry.name,
        url=entry.url,
        source=entry.source,
        devices=list(entry.devices),
        last_heartbeat=entry.last_heartbeat,
        last_seen=entry.last_seen,
        last_error=entry.last_error,
    )


def entry_of(row: HostRow, clock: Clock) -> HostEntry:
    """The entry as the registry holds it; `seen_at` on the registry's clock, aged as it was."""
    source: Literal["config", "registered"] = "config" if row.source == "config" else "registered"
    seen_at = None
    if row.last_seen is not None:
        ago = max(0.0, (datetime.now(UTC) - row.last_seen).total_seconds())
        seen_at = clock() - ago
    return HostEntry(
        name=row.name,
        url=row.url,
        source=source,
        devices=list(row.devices),
        last_heartbeat=row.last_heartbeat,
        last_seen=row.last_seen,
        seen_at=seen_at,
        last_error=row.last_error,
    )


async def restore_hosts(registry: HostRegistry, store: LabStore, clock: Clock) -> None:
    for row in await store.load_hosts():
        registry.restore(entry_of(row, clock))


async def save_host(store: LabStore, entry: HostEntry) -> None:
    await store.save_host(row_of(entry))


async def sync_host(registry: HostRegistry, store: LabStore, name: str) -> None:
    """Take the store's row of one host (written by any replica): newer news, or its end."""
    row = await store.load_host(name)
    if row is None:
        registry.drop(name)
    else:
        registry.merge(entry_of(row, registry.clock))


async def sync_hosts(registry: HostRegistry, store: LabStore) -> None:
    """Take every host's row; registered hosts the store no longer has are dropped, unless
    online: one registered here while the rows were read has its row written after them,
    and a live host's next heartbeat writes its row again anyway."""
    rows = await store.load_hosts()
    for row in rows:
        registry.merge(entry_of(row, registry.clock))
    kept = {row.name for row in rows}
    for entry in registry:
        if entry.name not in kept and registry.status(entry) is not HostStatus.online:
            registry.drop(entry.name)


async def heartbeat(
    registry: HostRegistry, store: LabStore, name: str, beat: HostHeartbeat
) -> HostEntry:
    """A host's heartbeat, also when another replica took its registration moments ago (its
    notice not here yet); saved for every replica. 404 only if no replica knows the host."""
    if name not in registry:
        await sync_host(registry, store, name)
    entry = registry.heartbeat(name, beat)
    await save_host(store, entry)
    return entry
