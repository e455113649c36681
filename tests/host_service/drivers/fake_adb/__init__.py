"""A fake adb server on loopback that plays scripted Android TVs (see server.py)."""

from tests.host_service.drivers.fake_adb.android_tv import AndroidTV, app_package
from tests.host_service.drivers.fake_adb.server import FakeAdbServer, RunningAdbServer

__all__ = ["AndroidTV", "FakeAdbServer", "RunningAdbServer", "app_package"]
