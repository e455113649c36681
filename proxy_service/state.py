"""The proxy's typed lifespan state: every resource a request handler may reach."""

from dataclasses import dataclass

from proxy_service.client import HostClient
from proxy_service.hosts import HostRegistry
from proxy_service.lab import LabStore
from proxy_service.lab_tier import LabTier
from proxy_service.metrics import ProxyMetrics
from proxy_service.settings import ProxySettings


@dataclass(eq=False)
class ProxyState:
    settings: ProxySettings
    registry: HostRegistry
    client: HostClient
    metrics: ProxyMetrics
    lab: LabStore
    lab_tier: LabTier
