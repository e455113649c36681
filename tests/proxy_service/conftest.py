"""Fixtures of the proxy tests: a lab of in-process hosts behind an in-process proxy."""

from pathlib import Path

import pytest

from tests.proxy_service.lab import LabFactory, lab_factory


@pytest.fixture
def lab(tmp_path: Path) -> LabFactory:
    """Start a proxy in front of in-process hosts `host-1` and `host-2`."""
    return lab_factory(tmp_path)
