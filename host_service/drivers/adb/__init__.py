"""The `adb` driver: Android TV and mobile devices behind an adb server."""

from host_service.drivers.adb.driver import AdbDriver
from host_service.drivers.adb.keys import TV_KEYCODES
from host_service.drivers.adb.settings import AdbSettings

__all__ = ["TV_KEYCODES", "AdbDriver", "AdbSettings"]
