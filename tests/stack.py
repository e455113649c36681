"""A lab as real processes on loopback: one proxy and one simulated host behind it.

For the clients' tests (Python, CLI, TypeScript, example scripts), which talk HTTP and
follow event streams over real sockets, as users do.
"""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.processes import REPO, service

HOST_NAME = "lab-host"
# Devices per purpose, so tests sharing one stack never queue behind each other.
DEVICES = ["tv-1", "tv-2", "tv-3", "tv-4", "tv-5", "tv-6", "tv-7", "tv-8"]


@dataclass(frozen=True)
class Stack:
    proxy_url: str
    host_url: str
    host_name: str = HOST_NAME


@contextmanager
def lab_stack(folder: Path) -> Iterator[Stack]:
    simulated = {"ui_model": str(REPO / "examples" / "ui" / "simtv.yaml")}
    devices = [
        {"id": d, "name": d, "model": "simtv-4k", "driver": "simulated", "settings": simulated}
        for d in DEVICES
    ]
    config = folder / "host.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "host_name": HOST_NAME,
                "library_path": str(REPO / "examples" / "library"),
                "devices": devices,
            }
        )
    )
    with ExitStack() as stack:
        host_url = stack.enter_context(
            service(
                "host_service",
                *("--config", str(config), "--journal", "none", "--latency-scale", "0.01"),
                health_path="/host/health",
            )
        )
        proxy_config = folder / "proxy.yaml"
        proxy_config.write_text(yaml.safe_dump({"hosts": [{"name": HOST_NAME, "url": host_url}]}))
        proxy_url = stack.enter_context(
            service("proxy_service", "--config", str(proxy_config), health_path="/server/health")
        )
        yield Stack(proxy_url=proxy_url, host_url=host_url)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One lab for every clients' test; each test drives devices no other test is using."""
    with lab_stack(tmp_path_factory.mktemp("lab")) as running:
        yield running
