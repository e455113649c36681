"""A lab of real processes on 127.0.0.1: hosts with many simulated TVs behind a proxy."""

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
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
            # Quick health rounds: a check that ran while a host was binding its port marks
            # it offline until the next round (or heartbeat) sees it.
            {"PROXY_HEALTH_INTERVAL_S": "0.5", **(proxy_env or {})},
        )
        stack.callback(proxy.stop)
        proxy.start()
        for service in services.values():
            service.args += ["--proxy-url", proxy.url, "--advertised-url", service.url]
            stack.callback(service.stop)
            service.start()
        wait_until_online(proxy.url, names)
        yield RealLab(proxy, services, journals, {n: list(ids) for n in names})


def wait_until_online(proxy_url: str, names: list[str], seconds: float = 10) -> None:
    """Until the proxy itself has seen every host up: the lab is ready for its clients."""
    give_up = time.monotonic() + seconds
    while True:
        listed = httpx.get(f"{proxy_url}/server/hosts", timeout=5).json()
        if {h["host_name"] for h in listed if h["status"] == "online"} >= set(names):
            return
        assert time.monotonic() < give_up, f"hosts not online at the proxy: {listed}"
        time.sleep(0.05)  # polling an observable condition with a deadline
