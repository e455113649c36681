"""Fixtures of the dashboard's browser tests: one lab for all of them, a browser per module."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.proxy_service.dashboard.browser import Watched, chromium, watched_page
from tests.proxy_service.dashboard.lab import DashboardLab, dashboard_lab


@pytest.fixture(scope="session")
def live_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DashboardLab]:
    with dashboard_lab(tmp_path_factory.mktemp("dashboard-lab")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    with watched_page(browser) as seen:
        yield seen


@pytest.fixture
def page(watched: Watched) -> Page:
    return watched.page
