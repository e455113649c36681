"""HostMetrics: the host's Prometheus metrics, in a collector registry of its own.

Counters and run-time histograms move as the registry tells of changes;
device gauges (state, queue length) are read at scrape time, so they are
never stale and cost nothing between scrapes.
"""

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from host_service.engine.change import Change
from host_service.engine.device_view import DeviceViews
from host_service.engine.record import ExecutionRecord
from host_service.engine.registry import ExecutionRegistry
from schemas import DeviceState
from schemas.events import EventType

STATUS = EventType.status.value

# Running time runs from tens of milliseconds (one key press) to two hours (a campaign).
RUN_SECONDS_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200)


class _DeviceCollector(Collector):
    def __init__(self, devices: DeviceViews, registry: ExecutionRegistry) -> None:
        self._devices = devices
        self._registry = registry

    def collect(self) -> Iterator[Metric]:
        queue = GaugeMetricFamily(
            "host_device_queue_length", "Executions waiting for the device.", labels=["device"]
        )
        state = GaugeMetricFamily(
            "host_device_state", "1 for the device's current state.", labels=["device", "state"]
        )
        for view in self._devices.all():
            queue.add_metric([view.device_id], view.queue_length)
            for candidate in DeviceState:
                state.add_metric([view.device_id, candidate.value], float(candidate is view.state))
        active = GaugeMetricFamily(
            "host_executions_active", "Executions queued or running on this host."
        )
        active.add_metric([], len(self._registry.active()))
        yield from (queue, state, active)


class HostMetrics:
    def __init__(self, devices: DeviceViews, registry: ExecutionRegistry) -> None:
        self.registry = CollectorRegistry()
        self._started = Counter(
            "host_executions_started",
            "Executions created by a start request.",
            ["kind"],
            registry=self.registry,
        )
        self._finished = Counter(
            "host_executions_finished",
            "Executions that reached a terminal status.",
            ["kind", "status"],
            registry=self.registry,
        )
        self._run_seconds = Histogram(
            "host_execution_run_seconds",
            "Running time of finished executions (queue time excluded).",
            ["kind"],
            buckets=RUN_SECONDS_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(_DeviceCollector(devices, registry))

    def render(self) -> bytes:
        return generate_latest(self.registry)

    # -- registry listener -----------------------------------------------------------------

    def changed(self, record: ExecutionRecord, change: Change) -> None:
        kind = record.kind.value
        if change.created:
            self._started.labels(kind).inc()
        for event in change.events:
            if event.type == STATUS and record.status.terminal:  # the record's last status
                self._finished.labels(kind, record.status.value).inc()
                elapsed_ms = record.elapsed_ms()
                if elapsed_ms is not None:
                    self._run_seconds.labels(kind).observe(elapsed_ms / 1000)

    def evicted(self, execution_ids: list[str]) -> None:
        """Retention does not change what was counted."""
