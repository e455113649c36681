"""The host's typed lifespan state: every resource a request handler may reach."""

from dataclasses import dataclass, field
from typing import Any

from host_service.announcer import ProxyAnnouncer
from host_service.engine.devices import DeviceCatalog
from host_service.engine.leases import DeviceLeases
from host_service.engine.metrics import HostMetrics
from host_service.engine.orchestrator import ExecutionOrchestrator
from host_service.engine.registry import ExecutionRegistry
from host_service.journal.sqlite.journal import ExecutionJournal
from host_service.kinds import Executor
from host_service.library import DefinitionLibrary
from host_service.settings import HostSettings
from schemas import ExecutionKind


@dataclass(eq=False)
class HostState:
    settings: HostSettings
    devices: DeviceCatalog
    registry: ExecutionRegistry
    leases: DeviceLeases
    orchestrator: ExecutionOrchestrator
    executors: dict[ExecutionKind, Executor[Any, Any]]
    metrics: HostMetrics
    library: DefinitionLibrary = field(default_factory=DefinitionLibrary)
    announcer: ProxyAnnouncer | None = None  # set while the host reports to a proxy
    journal: ExecutionJournal | None = None  # None: executions live in memory only

    @property
    def host_name(self) -> str:
        return self.devices.host_name
