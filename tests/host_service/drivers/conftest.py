"""The fake adb server with one scripted Android TV, for the adb driver's tests."""

from collections.abc import Iterator

import pytest

from host_service.drivers.simulated import load_ui_model
from tests.conftest import UI_MODEL
from tests.host_service.drivers.fake_adb import AndroidTV, RunningAdbServer

SERIAL = "tv-0001"


@pytest.fixture
def server() -> Iterator[RunningAdbServer]:
    with RunningAdbServer() as running:
        running.fake.add(SERIAL, AndroidTV(load_ui_model(UI_MODEL)))
        yield running
