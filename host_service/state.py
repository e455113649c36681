"""The host's typed lifespan state: every resource a request handler may reach."""

from dataclasses import dataclass

from host_service.announcer import ProxyAnnouncer
from host_service.engine.artifact_store import ArtifactStore
from host_service.engine.device_changes import DeviceChanges
from host_service.engine.device_view import DeviceViews
from host_service.engine.devices import DeviceCatalog
from host_service.engine.leases import DeviceLeases
from host_service.engine.metrics import HostMetrics
from host_service.engine.orchestrator import ExecutionOrchestrator
from host_service.engine.registry import ExecutionRegistry
from host_service.engine.start import StartService
from host_service.journal import Journal
from host_service.library import DefinitionLibrary
from host_service.settings import HostSettings


@dataclass(eq=False)
class HostState:
    settings: HostSettings
    devices: DeviceCatalog
    device_views: DeviceViews
    device_changes: DeviceChanges
    registry: ExecutionRegistry
    leases: DeviceLeases
    orchestrator: ExecutionOrchestrator
    starts: StartService
    metrics: HostMetrics
    library: DefinitionLibrary
    journal: Journal | None  # None: executions live in memory only
    artifacts: ArtifactStore
    announcer: ProxyAnnouncer | None = None  # set while the host reports to a proxy

    @property
    def host_name(self) -> str:
        return self.devices.host_name
