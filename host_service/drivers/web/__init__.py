"""The `web` driver: web apps and TV apps built as web pages, in the system Chromium."""

from host_service.drivers.web.driver import WebDriver
from host_service.drivers.web.keys import TV_KEYS
from host_service.drivers.web.settings import Viewport, WebSettings

__all__ = ["TV_KEYS", "Viewport", "WebDriver", "WebSettings"]
