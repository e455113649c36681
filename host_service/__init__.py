"""The host service: runs executions on the devices plugged into one machine."""

from host_service.app import create_app
from host_service.settings import HostSettings

__all__ = ["HostSettings", "create_app"]
