"""The host lifespan: builds every resource on startup and tears it down on shutdown."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from host_service.announcer import ProxyAnnouncer
from host_service.config import load_host_config
from host_service.engine.devices import DeviceCatalog
from host_service.engine.leases import DeviceLeases
from host_service.engine.metrics import HostMetrics
from host_service.engine.orchestrator import ExecutionOrchestrator
from host_service.engine.registry import ExecutionRegistry
from host_service.journal.sqlite.journal import ExecutionJournal, journal_location
from host_service.kinds import ExecutorEnv, build_executors
from host_service.library import load_library
from host_service.runtime.logs import LOGGER_NAME, ExecutionLogHandler
from host_service.settings import HostSettings
from host_service.state import HostState
from schemas import ExecutionError, ExecutionStatus
from service_common.gc_tuning import tune_gc


def worker_count(devices: int) -> int:
    # One thread per device runs its execution; stuck calls and queue churn need headroom.
    return devices * 2 + 4


def open_journal(settings: HostSettings, host_name: str) -> ExecutionJournal | None:
    """The configured journal, or None for memory only; JournalError if it cannot be used."""
    path = journal_location(settings.journal_path, settings.config_path, host_name)
    return None if path is None else ExecutionJournal.open(path)


def recover(registry: ExecutionRegistry, journal: ExecutionJournal, settings: HostSettings) -> None:
    """Serve what the journal holds; what was queued or running when the host died is over."""
    registry.restore(journal.load(settings.max_log_lines, settings.max_events))
    registry.subscribe(journal)
    registry.apply_retention()  # what expired while the host was down goes now
    for record in registry.active():
        was = record.status.value
        registry.finish(
            record.execution_id,
            ExecutionStatus.interrupted,
            error=ExecutionError(
                code="host_restarted",
                message=f"the host restarted while this execution was {was}",
                details={"status_before_restart": was},
            ),
        )


@asynccontextmanager
async def announcing(
    settings: HostSettings, state: HostState, transport: httpx.AsyncBaseTransport | None
) -> AsyncIterator[None]:
    """Register with the proxy and heartbeat while the host runs, when a proxy is set."""
    if settings.proxy_url is None or settings.advertised_url is None:
        yield
        return
    token = settings.proxy_registration_token
    async with httpx.AsyncClient(
        base_url=settings.proxy_url,
        transport=transport,
        timeout=httpx.Timeout(2.0),
        headers={"Authorization": f"Bearer {token}"} if token else {},
        trust_env=False,
    ) as client:
        announcer = ProxyAnnouncer(
            client,
            state.host_name,
            settings.advertised_url,
            state.devices,
            state.leases,
            state.registry,
        )
        state.announcer = announcer
        # Registered before serving when the proxy is up; bounded by the client's timeout.
        await announcer.try_beat()
        task = asyncio.create_task(announcer.run(settings.heartbeat_interval_s))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


@asynccontextmanager
async def host_lifespan(
    app: FastAPI, settings: HostSettings, proxy_transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[dict[str, HostState]]:
    config = load_host_config(settings.config_path)
    if settings.host_name:
        config.host_name = settings.host_name
    journal = open_journal(settings, config.host_name)
    devices = DeviceCatalog(config, settings.config_path.parent, settings.latency_scale)
    leases = DeviceLeases(devices.ids())
    registry = ExecutionRegistry(
        max_age_s=settings.retention_max_age_s,
        max_count=settings.retention_max_count,
        queue_position=leases.position,
    )
    loop = asyncio.get_running_loop()
    registry.bind_loop(loop)
    if journal is not None:
        recover(registry, journal, settings)
    metrics = HostMetrics(devices, leases, registry)
    registry.subscribe(metrics)  # after recovery: counts what this process runs
    pool = ThreadPoolExecutor(
        max_workers=worker_count(len(devices)), thread_name_prefix="execution"
    )
    loop.set_default_executor(pool)
    handler = ExecutionLogHandler(registry.append_log)
    service_logger = logging.getLogger(LOGGER_NAME)
    service_logger.addHandler(handler)
    service_logger.setLevel(logging.INFO)
    orchestrator = ExecutionOrchestrator(registry, leases, devices, settings, pool)
    library = load_library(config.library_path)
    executors = build_executors(ExecutorEnv(devices=devices, settings=settings, library=library))
    state = HostState(
        settings,
        devices,
        registry,
        leases,
        orchestrator,
        executors,
        metrics,
        library=library,
        journal=journal,
    )
    if settings.gc_tuning:
        tune_gc()
    async with announcing(settings, state, proxy_transport):
        try:
            yield {"host": state}
        finally:
            await orchestrator.shutdown()
            devices.close()  # releases driver calls stuck in a hang
            service_logger.removeHandler(handler)
            pool.shutdown(wait=True, cancel_futures=True)
            if journal is not None:
                journal.close()
