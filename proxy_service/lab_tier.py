"""The lab tier's running parts, as the lifespan builds them (docs/lab.md)."""

from dataclasses import dataclass, field

from proxy_service.dispatcher import Dispatcher
from proxy_service.feed import FeedFollower
from proxy_service.inventory import Inventory
from proxy_service.replicas import Replicas
from proxy_service.signals import LabSignals
from service_common.ids import ExecutionIds


@dataclass(eq=False)
class LabTier:
    inventory: Inventory
    signals: LabSignals
    dispatcher: Dispatcher
    feed: FeedFollower
    replicas: Replicas | None = None  # on PostgreSQL: what this replica hears of the others
    ids: ExecutionIds = field(default_factory=ExecutionIds)  # lab execution ids
