"""Shared fixtures: in-process hosts through ASGITransport with the lifespan entered."""

import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from asgi_lifespan import LifespanManager

from host_service import HostSettings, create_app
from host_service.drivers import DEFAULT_DRIVERS, DriverFactory
from host_service.state import HostState
from tests.host_service.fake_driver import FakeDriver
from tests.stack import stack

REPO = Path(__file__).resolve().parents[1]
UI_MODEL = REPO / "examples" / "ui" / "simtv.yaml"
LIBRARY = REPO / "examples" / "library"


# The drivers of every in-process test host: the real ones and the scripted fake.
TEST_DRIVERS: dict[str, DriverFactory] = {**DEFAULT_DRIVERS, "fake": FakeDriver.build}


@dataclass
class RunningHost:
    client: httpx.AsyncClient
    state: HostState
    app: Any

    def fake(self, device_id: str) -> FakeDriver:
        driver = self.state.devices.get(device_id).driver
        assert isinstance(driver, FakeDriver)
        return driver

    async def wait_step(self, execution_id: str, step_id: str, state: str) -> None:
        """Follow the record's changes (not the clock) until a step reaches `state`."""
        registry = self.state.registry
        give_up = time.monotonic() + 5
        while True:
            record = registry.get(execution_id)
            version = record.version
            step = record.steps.get(step_id)
            if step is not None and step.state.value == state:
                return
            assert time.monotonic() < give_up, f"step {step_id} never {state}: {record.steps}"
            await registry.wait_change(execution_id, version, 1)


HostFactory = Callable[..., AbstractAsyncContextManager[RunningHost]]


def write_host_config(path: Path, devices: list[dict[str, Any]], **extra: Any) -> Path:
    path.write_text(yaml.safe_dump({"host_name": "test-host", "devices": devices, **extra}))
    return path


def simulated(device_id: str, **settings: Any) -> dict[str, Any]:
    return {
        "id": device_id,
        "name": f"Simulated {device_id}",
        "model": "simtv-4k",
        "driver": "simulated",
        "settings": {"ui_model": str(UI_MODEL), **settings},
    }


def fake(device_id: str) -> dict[str, Any]:
    return {"id": device_id, "name": f"Fake {device_id}", "model": "fake", "driver": "fake"}


@pytest.fixture
def host_factory(tmp_path: Path) -> HostFactory:
    """Start an in-process host with the given devices and settings."""

    @asynccontextmanager
    async def start(
        devices: list[dict[str, Any]] | None = None,
        library_path: Path | None = None,
        **settings: Any,
    ) -> AsyncIterator[RunningHost]:
        extra = {} if library_path is None else {"library_path": str(library_path)}
        config = write_host_config(
            tmp_path / "host.yaml", devices or [simulated("tv-1"), simulated("tv-2")], **extra
        )
        # No gc.freeze() in the test process: it would pin every earlier test's objects.
        defaults = {"latency_scale": 0.01, "gc_tuning": False}
        host_settings = HostSettings(config_path=config, **{**defaults, **settings})
        app = create_app(host_settings, drivers=TEST_DRIVERS)
        async with LifespanManager(app, startup_timeout=30) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://host") as client:
                # asgi-lifespan keeps the lifespan state it hands to requests here.
                state = manager._state["host"]
                yield RunningHost(client, state, app)

    return start


@pytest.fixture
async def host(host_factory: HostFactory) -> AsyncIterator[RunningHost]:
    async with host_factory() as running:
        yield running


__all__ = ["stack"]  # real proxy and host processes, for the clients' tests
