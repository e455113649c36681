"""One host registry for every replica: what one writes to the store, another takes up.

Two registries on one store stand for two replicas; each test drives the sharing rules
directly (a replica's notices would also bring the changes, but not deterministically
before the step under test).
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from proxy_service.config import ProxyConfig
from proxy_service.errors import UnknownHostError
from proxy_service.hosts import HostRegistry
from proxy_service.lab import SqlLabStore, open_lab_store, store_url
from proxy_service.persisted_hosts import heartbeat, save_host, sync_host, sync_hosts
from schemas import DeviceState, HostDevice, HostHeartbeat, HostRegistration

TV = HostDevice(device_id="tv-1", name="TV", model="simtv-4k", state=DeviceState.idle)


@pytest.fixture
async def store(database_url: str, tmp_path: Path) -> AsyncIterator[SqlLabStore]:
    opened = open_lab_store(store_url(database_url, tmp_path / "proxy.yaml"))
    yield opened
    await opened.close()


def replica() -> HostRegistry:
    return HostRegistry(ProxyConfig(), expiry_s=15)


async def register(registry: HostRegistry, store: SqlLabStore, url: str) -> None:
    entry = registry.register(
        HostRegistration(host_name="host-3", url=url, devices=[TV])  # type: ignore[arg-type]
    )
    await save_host(store, entry)


async def test_a_heartbeat_for_a_host_another_replica_just_registered_is_taken(
    store: SqlLabStore,
) -> None:
    took, other = replica(), replica()
    await register(took, store, "http://10.0.0.3:8101")
    busy = TV.model_copy(update={"state": DeviceState.busy})
    entry = await heartbeat(other, store, "host-3", HostHeartbeat(devices=[busy]))
    view = other.view(entry)
    assert (view.status.value, view.url, view.devices) == ("online", "http://10.0.0.3:8101", [busy])
    await sync_host(took, store, "host-3")  # the heartbeat, written for every replica
    assert took.get("host-3").devices == [busy]
    with pytest.raises(UnknownHostError):  # no replica knows it: register first
        await heartbeat(other, store, "host-9", HostHeartbeat(devices=[]))


async def test_registrations_moves_and_forgetting_reach_every_replica(store: SqlLabStore) -> None:
    took, other = replica(), replica()
    await register(took, store, "http://10.0.0.3:8101")
    await sync_hosts(other, store)
    assert other.get("host-3").url == "http://10.0.0.3:8101"
    await register(took, store, "http://10.0.0.4:8101")  # the host came back elsewhere
    await sync_host(other, store, "host-3")
    assert other.get("host-3").url == "http://10.0.0.4:8101"
    stale = await store.load_host("host-3")
    assert stale is not None
    beat = await heartbeat(other, store, "host-3", HostHeartbeat(devices=[]))
    await store.save_host(stale)  # an older heartbeat written last (by another replica)
    await sync_host(other, store, "host-3")
    assert other.get("host-3").last_heartbeat == beat.last_heartbeat
    assert other.get("host-3").devices == []
    took.forget("host-3")
    await store.remove_host("host-3")
    await sync_host(other, store, "host-3")
    assert "host-3" not in other


async def test_reading_every_host_again_keeps_a_host_registered_meanwhile(
    store: SqlLabStore,
) -> None:
    here = replica()
    here.register(HostRegistration(host_name="host-3", url="http://10.0.0.3:8101", devices=[TV]))  # type: ignore[arg-type]
    await sync_hosts(here, store)  # its row not written yet (the registration's save in flight)
    assert "host-3" in here
