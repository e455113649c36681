"""The proxy lifespan: store, registry, host clients, monitor and the lab tier; torn down
in reverse order through one exit stack."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from proxy_service.client import HostClient
from proxy_service.config import load_proxy_config
from proxy_service.dispatcher import Dispatcher
from proxy_service.feed import FeedFollower
from proxy_service.hosts import Clock, HostRegistry
from proxy_service.inventory import Inventory
from proxy_service.lab import open_lab_store, store_url
from proxy_service.lab.url import shown
from proxy_service.lab_tier import LabTier
from proxy_service.metrics import ProxyMetrics
from proxy_service.monitor import HostMonitor
from proxy_service.persisted_hosts import restore_hosts
from proxy_service.replicas import Replicas
from proxy_service.settings import ProxySettings
from proxy_service.signals import LabSignals
from proxy_service.state import ProxyState
from service_common.gc_tuning import tuned_gc
from service_common.stopping import stopping_of

log = logging.getLogger("device_orchestrator.lab")

# The lab's own calls: its starts (a tick may ask hundreds at once), the long-polls of the
# hosts' feeds and the follows of executions whose end a feed cannot tell. A pool and lanes
# of their own, so a full lab never takes the connections client requests need.
LAB_CONNECTIONS = 2_000


def background(stack: AsyncExitStack, work: Coroutine[Any, Any, None], name: str) -> None:
    task = asyncio.create_task(work, name=name)

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    stack.push_async_callback(stop)


@asynccontextmanager
async def proxy_lifespan(
    app: FastAPI,
    settings: ProxySettings,
    mounts: Mapping[str, httpx.AsyncBaseTransport] | None,
    clock: Clock,
) -> AsyncIterator[dict[str, ProxyState]]:
    config = load_proxy_config(settings.config_path)
    registry = HostRegistry(config, settings.heartbeat_expiry_s, clock)
    metrics = ProxyMetrics(registry)
    async with AsyncExitStack() as stack:
        url = store_url(settings.database_url, settings.config_path)
        lab = open_lab_store(url)
        stack.push_async_callback(lab.close)
        log.info("lab store %s; %d hosts in the config", shown(url), len(config.hosts))
        stopping = stopping_of(app)
        client = HostClient(settings, registry, mounts, metrics, stopping)
        stack.push_async_callback(client.aclose)
        lab_settings = settings.model_copy(
            update={
                "max_connections": LAB_CONNECTIONS,
                "max_keepalive_connections": LAB_CONNECTIONS,
                "max_streams_per_host": LAB_CONNECTIONS,
                "max_requests_per_host": LAB_CONNECTIONS,
            }
        )
        lab_client = HostClient(lab_settings, registry, mounts, None, stopping)
        stack.push_async_callback(lab_client.aclose)
        monitor = HostMonitor(registry, client, settings.health_interval_s)
        inventory = Inventory(registry, client)
        signals = LabSignals()
        dispatcher = Dispatcher(
            registry, lab_client, lab, inventory, signals, settings.quarantine_after_errors
        )
        stack.push_async_callback(dispatcher.close)
        feed = FeedFollower(registry, lab_client, lab, settings.feed_interval_s, dispatcher)
        stack.push_async_callback(feed.close)
        tier = LabTier(inventory, signals, dispatcher, feed)
        if settings.gc_tuning:  # about a sixth less CPU per forwarded request (bench/README.md)
            stack.enter_context(tuned_gc())
        await restore_hosts(registry, lab, clock)
        # One round before serving, so the first requests already know which hosts are down;
        # it is bounded by the connect timeout, whatever the hosts do.
        await monitor.check_due()
        # What is not known yet, the dispatcher asks. asyncio.timeout, not wait_for: on
        # 3.11 wait_for can lose the cancellation of a startup that ran out of time.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(settings.connect_timeout_s):
                await inventory.refresh()
        background(stack, monitor.run(), "host-monitor")
        background(stack, feed.run(), "feed-follower")
        background(stack, dispatcher.run(settings.dispatch_interval_s), "dispatcher")
        if lab.backend == "postgresql":  # other replicas may share the store: listen to them
            tier.replicas = Replicas(
                registry, lab, signals, dispatcher, lab.engine.url, lab.backend_pids
            )
            background(stack, tier.replicas.run(), "replicas")
        yield {"proxy": ProxyState(settings, registry, client, metrics, lab, tier)}
