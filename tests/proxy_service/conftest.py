"""Fixtures of the proxy tests: a lab of in-process hosts behind an in-process proxy."""

from pathlib import Path

import pytest

from host_service.drivers import DRIVERS
from tests.host_service.fake_driver import FakeDriver
from tests.proxy_service.lab import LabFactory, lab_factory


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LabFactory:
    """Start a proxy in front of in-process hosts `host-1` and `host-2`."""
    monkeypatch.setitem(DRIVERS, "fake", FakeDriver.build)
    return lab_factory(tmp_path)
