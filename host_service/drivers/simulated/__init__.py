"""The simulated TV driver: the embedded default, runnable with no hardware."""

from host_service.drivers.simulated.faults import Faults, Latencies
from host_service.drivers.simulated.tv import SimulatedSettings, SimulatedTV
from host_service.drivers.simulated.ui_model import UiModel, load_ui_model

__all__ = ["Faults", "Latencies", "SimulatedSettings", "SimulatedTV", "UiModel", "load_ui_model"]
