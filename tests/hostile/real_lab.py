"""A lab of real processes on 127.0.0.1: hosts with many simulated TVs behind a proxy."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import LIBRARY, simulated, write_host_config
from tests.hostile.services import Service


@dataclass
class RealLab:
    proxy: Service
    hosts: dict[str, Service]
    journals: dict[str, Path]
    devices: dict[str, list[str]]  # device ids by host name


def device_ids(count: int) -> list[str]:
    return [f"tv-{n:02d}" for n in range(1, count + 1)]


def host_service(
    tmp_path: Path, name: str, devices: list[dict[str, Any]], env: dict[str, str]
) -> tuple[Service, Path]:
    config = write_host_config(tmp_path / f"{name}.yaml", devices, library_path=str(LIBRARY))
    journal = tmp_path / f"{name}.sqlite3"
    args = ["--config", str(config), "--host-name", name, "--journal", str(journal)]
    args += ["--latency-scale", "0.01", "--log-level", "warning"]
    return Service("host_service", args, "/host/health", tmp_path / f"{name}.log", env), journal


@contextmanager
def real_lab(
    tmp_path: Path,
    hosts: int = 2,
    devices_per_host: int = 25,
    host_env: dict[str, str] | None = None,
    proxy_env: dict[str, str] | None = None,
    device_settings: dict[str, dict[str, Any]] | None = None,
) -> Iterator[RealLab]:
    """The proxy starts first; each host registers with it before it serves, so a host
    restarted on its port is back in the proxy's registry as soon as it is healthy.
    `device_settings` adds simulated-driver settings (faults) to the devices it names."""
    names = [f"host-{n}" for n in range(1, hosts + 1)]
    ids = device_ids(devices_per_host)
    extra = device_settings or {}
    with ExitStack() as stack:
        services: dict[str, Service] = {}
        journals: dict[str, Path] = {}
        for name in names:
            devices = [simulated(d, **extra.get(d, {})) for d in ids]
            services[name], journals[name] = host_service(tmp_path, name, devices, host_env or {})
        config = tmp_path / "proxy.yaml"
        config.write_text(
            yaml.safe_dump({"hosts": [{"name": n, "url": services[n].url} for n in names]})
        )
        proxy = Service(
            "proxy_service",
            ["--config", str(config), "--log-level", "warning"],
            "/server/health",
            tmp_path / "proxy.log",
            proxy_env or {},
        )
        stack.callback(proxy.stop)
        proxy.start()
        for service in services.values():
            service.args += ["--proxy-url", proxy.url, "--advertised-url", service.url]
            stack.callback(service.stop)
            service.start()
        yield RealLab(proxy, services, journals, {n: list(ids) for n in names})
