"""ProxyMetrics: the proxy's Prometheus metrics, in a collector registry of its own.

Upstream calls are counted and timed by host as the host client makes them;
host liveness is read from the host registry at scrape time.
"""

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from proxy_service.hosts import HostRegistry
from proxy_service.lanes import ConnectionLanes
from schemas import HostStatus

# A forwarded call takes about a millisecond; a long-poll up to its 60 s wait.
UPSTREAM_SECONDS_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60)


class _HostCollector(Collector):
    def __init__(self, hosts: HostRegistry) -> None:
        self._hosts = hosts
        self.lanes: ConnectionLanes | None = None

    def collect(self) -> Iterator[Metric]:
        status = GaugeMetricFamily(
            "proxy_host_status", "1 for the host's current status.", labels=["host", "status"]
        )
        for entry in self._hosts:
            current = self._hosts.status(entry)
            for candidate in HostStatus:
                status.add_metric([entry.name, candidate.value], float(candidate is current))
        yield status
        if self.lanes is not None:
            lanes = GaugeMetricFamily(
                "proxy_connections_in_use",
                "Calls in flight to a host, by lane (requests, streams).",
                labels=["host", "lane"],
            )
            for (host, lane), count in self.lanes.in_use().items():
                lanes.add_metric([host, lane], float(count))
            yield lanes


class ProxyMetrics:
    def __init__(self, hosts: HostRegistry) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._calls = Counter(
            "proxy_upstream_requests",
            "Calls to hosts, by host and outcome (HTTP status class or error code).",
            ["host", "outcome"],
            registry=self.registry,
        )
        self._errors = Counter(
            "proxy_upstream_errors",
            "Calls to hosts that failed before an answer: unreachable, timeout, busy.",
            ["host", "error"],
            registry=self.registry,
        )
        self._seconds = Histogram(
            "proxy_upstream_seconds",
            "Time until a host's answer started, by host.",
            ["host"],
            buckets=UPSTREAM_SECONDS_BUCKETS,
            registry=self.registry,
        )
        self._hosts = _HostCollector(hosts)
        self.registry.register(self._hosts)

    def watch(self, lanes: ConnectionLanes) -> None:
        self._hosts.lanes = lanes

    def answered(self, host: str, status_code: int, seconds: float) -> None:
        self._calls.labels(host, f"{status_code // 100}xx").inc()
        self._seconds.labels(host).observe(seconds)

    def failed(self, host: str, error: str) -> None:
        self._calls.labels(host, error).inc()
        self._errors.labels(host, error).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
