"""Device drivers, built by name from a device's config.

`DEFAULT_DRIVERS` maps a config's `driver` to its factory; `create_app(settings,
drivers=...)` takes another map (tests add their scripted drivers that way).
"""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from host_service.drivers.adb import AdbDriver
from host_service.drivers.base import (
    CallLog,
    CallRecord,
    CommandOutcome,
    Driver,
    DriverBase,
    DriverError,
    DriverSettingsError,
    Observation,
)
from host_service.drivers.command import CommandDriver
from host_service.drivers.device import Device
from host_service.drivers.simulated import SimulatedTV
from host_service.drivers.web import WebDriver

# driver name -> factory(raw settings, directory of the config file, latency scale);
# a factory raises DriverSettingsError for settings it cannot use.
DriverFactory = Callable[[dict[str, Any], Path, float], Driver]

DEFAULT_DRIVERS: Mapping[str, DriverFactory] = {
    "simulated": SimulatedTV.from_settings,
    "command": CommandDriver.from_settings,
    "web": WebDriver.from_settings,
    "adb": AdbDriver.from_settings,
}

__all__ = [
    "DEFAULT_DRIVERS",
    "CallLog",
    "CallRecord",
    "CommandOutcome",
    "Device",
    "Driver",
    "DriverBase",
    "DriverError",
    "DriverFactory",
    "DriverSettingsError",
    "Observation",
]
