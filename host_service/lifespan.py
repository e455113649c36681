"""The host lifespan: builds every resource on startup and tears it down on shutdown.

Every resource is entered on one `AsyncExitStack` as soon as it exists, so a
failure halfway through start-up (a driver that cannot open, a journal that
cannot be read) closes what was opened, in reverse order.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
from fastapi import FastAPI

from host_service.announcer import announcing
from host_service.config import load_host_config
from host_service.drivers import DriverFactory
from host_service.engine.artifact_store import ArtifactStore
from host_service.engine.device_changes import DeviceChanges
from host_service.engine.device_view import DeviceViews
from host_service.engine.devices import DeviceCatalog
from host_service.engine.leases import DeviceLeases
from host_service.engine.metrics import HostMetrics
from host_service.engine.orchestrator import ExecutionOrchestrator
from host_service.engine.registry import ExecutionRegistry
from host_service.engine.start import StartService
from host_service.journal import Journal, JournalError, data_folder, journal_url, open_journal
from host_service.kinds import ExecutorEnv, build_executors
from host_service.kinds.definitions import DEFINITION_RULES
from host_service.library import LibraryLimits, load_library
from host_service.runtime.logs import ExecutionLogHandler
from host_service.runtime.loop_calls import LoopCalls
from host_service.settings import HostSettings
from host_service.state import HostState
from schemas import ExecutionError, ExecutionStatus
from service_common.gc_tuning import tuned_gc
from service_common.log_format import SERVICE_LOGGER


def worker_count(devices: int) -> int:
    # One thread per device runs its execution; stuck calls and queue churn need headroom.
    return devices * 2 + 4


def library_limits(settings: HostSettings) -> LibraryLimits:
    return LibraryLimits(max_file_bytes=settings.library_max_file_bytes)


def artifact_store(url: str, host_name: str, settings: HostSettings) -> ArtifactStore:
    """The artifacts' folder beside the journal, or a temporary one for a memory-only host."""
    caps = (settings.max_artifacts, settings.max_artifact_bytes)
    folder = data_folder(url)
    if folder is None:
        return ArtifactStore.temporary(host_name, *caps)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(f"cannot use the artifacts folder {folder}: {exc}") from exc
    return ArtifactStore(folder, *caps)


def recover(
    registry: ExecutionRegistry,
    journal: Journal,
    artifacts: ArtifactStore,
    settings: HostSettings,
) -> None:
    """Serve what the journal holds; what was queued or running when the host died is over."""
    records = journal.load(settings.max_log_lines, settings.max_events)
    registry.restore(records)
    artifacts.sweep(records)  # files no record lists: written as the host died
    registry.subscribe(journal)
    registry.subscribe(artifacts)
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
async def host_lifespan(
    app: FastAPI,
    settings: HostSettings,
    drivers: Mapping[str, DriverFactory],
    proxy_transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[dict[str, HostState]]:
    async with AsyncExitStack() as stack:
        config = load_host_config(settings.config_path)
        if settings.host_name:
            config.host_name = settings.host_name
        devices = DeviceCatalog.build(config, settings.config_path, drivers, settings.latency_scale)
        url = journal_url(settings.journal, settings.config_path, config.host_name)
        journal = open_journal(url)
        if journal is not None:
            stack.callback(journal.close)
        artifacts = artifact_store(url, config.host_name, settings)
        stack.callback(artifacts.close)
        changes = DeviceChanges(devices.ids())
        leases = DeviceLeases(devices.ids(), returned=changes.note)
        registry = ExecutionRegistry(
            max_age_s=settings.retention_max_age_s,
            max_count=settings.retention_max_count,
            queue_position=leases.position,
        )
        loop = asyncio.get_running_loop()
        calls = LoopCalls(loop)
        registry.bind_loop(calls)
        if journal is not None:
            recover(registry, journal, artifacts, settings)
        else:
            registry.subscribe(artifacts)
        views = DeviceViews(devices, leases, registry)
        changes.bind_loop(loop)
        registry.subscribe(changes)
        metrics = HostMetrics(views, registry)
        registry.subscribe(metrics)  # after recovery: counts what this process runs
        pool = ThreadPoolExecutor(
            max_workers=worker_count(len(devices)), thread_name_prefix="execution"
        )
        stack.callback(pool.shutdown, wait=True, cancel_futures=True)
        loop.set_default_executor(pool)
        handler = ExecutionLogHandler(registry.append_log, settings.max_message_chars)
        service_logger = logging.getLogger(SERVICE_LOGGER)
        service_logger.addHandler(handler)
        stack.callback(service_logger.removeHandler, handler)
        service_logger.setLevel(logging.INFO)
        for device in devices:
            await device.driver.open()
            # Closed after the orchestrator stopped: closing releases calls stuck in a hang.
            stack.push_async_callback(device.driver.aclose)
        orchestrator = ExecutionOrchestrator(
            registry, leases, devices, settings, pool, artifacts, calls
        )
        stack.push_async_callback(orchestrator.shutdown)
        if settings.gc_tuning:
            # Before the library: with the default thresholds, the collector's walks made
            # loading a large tree grow faster than the tree (bench/library_load.py).
            stack.enter_context(tuned_gc())
        library = await asyncio.to_thread(
            load_library, config.library_path, DEFINITION_RULES, library_limits(settings)
        )
        executors = build_executors(ExecutorEnv(settings=settings, library=library))
        state = HostState(
            settings=settings,
            devices=devices,
            device_views=views,
            device_changes=changes,
            registry=registry,
            leases=leases,
            orchestrator=orchestrator,
            starts=StartService(
                devices,
                registry,
                orchestrator,
                executors,
                storage_problem=(lambda: None) if journal is None else journal.problem,
            ),
            metrics=metrics,
            library=library,
            journal=journal,
            artifacts=artifacts,
        )
        state.announcer = await stack.enter_async_context(
            announcing(settings, views, devices.host_name, proxy_transport)
        )
        yield {"host": state}
