"""The lifespan owns every resource through one exit stack: a failed start-up leaks nothing."""

import threading
from pathlib import Path
from typing import Any

import pytest
from asgi_lifespan import LifespanManager

from host_service import HostSettings, create_app
from tests.conftest import TEST_DRIVERS, fake, write_host_config
from tests.host_service.fake_driver import FakeDriver


class Recorder(FakeDriver):
    """Notes its lifecycle calls in a list the test shares."""

    def __init__(self, name: str, journal: list[str]) -> None:
        super().__init__()
        self._name = name
        self._journal = journal

    async def open(self) -> None:
        if self._name == "broken":
            raise RuntimeError("the device cannot be opened")
        self._journal.append(f"open {self._name}")

    async def aclose(self) -> None:
        self._journal.append(f"close {self._name}")


def journal_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("journal")]


async def test_a_driver_that_fails_to_open_closes_what_was_opened(tmp_path: Path) -> None:
    lifecycle: list[str] = []

    def recorder(raw: dict[str, Any], base_dir: Path, scale: float) -> Recorder:
        return Recorder(raw["name"], lifecycle)

    devices = [
        {**fake(name), "driver": "recorder", "settings": {"name": name}}
        for name in ("first", "second", "broken")
    ]
    config = write_host_config(tmp_path / "host.yaml", devices)
    settings = HostSettings(config_path=config, journal=str(tmp_path / "j.sqlite3"))
    app = create_app(settings, drivers={**TEST_DRIVERS, "recorder": recorder})
    before = journal_threads()
    with pytest.raises(RuntimeError, match="cannot be opened"):
        async with LifespanManager(app, startup_timeout=30):
            pass
    assert lifecycle == ["open first", "open second", "close second", "close first"]
    assert journal_threads() == before  # the journal's writer and checkpointer ended


async def test_drivers_open_before_serving_and_close_in_reverse(tmp_path: Path) -> None:
    lifecycle: list[str] = []

    def recorder(raw: dict[str, Any], base_dir: Path, scale: float) -> Recorder:
        return Recorder(raw["name"], lifecycle)

    devices = [
        {**fake(name), "driver": "recorder", "settings": {"name": name}} for name in ("a", "b")
    ]
    config = write_host_config(tmp_path / "host.yaml", devices)
    app = create_app(
        HostSettings(config_path=config, journal="none"),
        drivers={**TEST_DRIVERS, "recorder": recorder},
    )
    async with LifespanManager(app, startup_timeout=30):
        assert lifecycle == ["open a", "open b"]
    assert lifecycle == ["open a", "open b", "close b", "close a"]
