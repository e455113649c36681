"""The proxy lifespan: registry, host client and health monitor, torn down on shutdown."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from proxy_service.client import HostClient
from proxy_service.config import load_proxy_config
from proxy_service.feed import FeedFollower
from proxy_service.hosts import Clock, HostRegistry
from proxy_service.lab import open_lab_store, store_url
from proxy_service.metrics import ProxyMetrics
from proxy_service.monitor import HostMonitor
from proxy_service.persisted_hosts import restore_hosts
from proxy_service.settings import ProxySettings
from proxy_service.state import ProxyState
from service_common.gc_tuning import tune_gc


@asynccontextmanager
async def proxy_lifespan(
    app: FastAPI,
    settings: ProxySettings,
    mounts: Mapping[str, httpx.AsyncBaseTransport] | None,
    clock: Clock,
) -> AsyncIterator[dict[str, ProxyState]]:
    config = load_proxy_config(settings.config_path)
    registry = HostRegistry(config, settings.heartbeat_expiry_s, clock)
    lab = open_lab_store(store_url(settings.database_url, settings.config_path))
    metrics = ProxyMetrics(registry)
    client = HostClient(settings, registry, mounts, metrics)
    monitor = HostMonitor(registry, client, settings.health_interval_s)
    feed = FeedFollower(registry, client, lab, settings.feed_interval_s)
    if settings.gc_tuning:
        tune_gc()  # about a sixth less CPU per forwarded request (bench/README.md)
    try:
        await restore_hosts(registry, lab, clock)
        # One round before serving, so the first requests already know which hosts are down;
        # it is bounded by the connect timeout, whatever the hosts do.
        await monitor.check_due()
        tasks = [
            asyncio.create_task(monitor.run(), name="host-monitor"),
            asyncio.create_task(feed.run(), name="feed-follower"),
        ]
        try:
            yield {"proxy": ProxyState(settings, registry, client, metrics, lab, feed)}
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    finally:
        await client.aclose()
        await lab.close()
