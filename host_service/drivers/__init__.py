"""Device drivers, built by name from a device's config."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from host_service.drivers.base import (
    CallLog,
    CallRecord,
    CommandOutcome,
    Driver,
    DriverError,
    Observation,
)
from host_service.drivers.command import CommandDriver
from host_service.drivers.simulated import SimulatedTV

# driver name -> builder(settings, directory of the config file, latency scale)
DriverBuilder = Callable[[dict[str, Any], Path, float], Driver]

DRIVERS: dict[str, DriverBuilder] = {
    "simulated": SimulatedTV.from_settings,
    "command": CommandDriver.from_settings,
}

__all__ = [
    "DRIVERS",
    "CallLog",
    "CallRecord",
    "CommandOutcome",
    "Driver",
    "DriverBuilder",
    "DriverError",
    "Observation",
]
