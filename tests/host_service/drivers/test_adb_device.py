"""A host with an adb device: offline as the adb server lists it, and a start then refused."""

import asyncio
import time
from typing import Any

from tests.conftest import HostFactory, RunningHost
from tests.helpers import finished, start
from tests.host_service.drivers.conftest import SERIAL
from tests.host_service.drivers.fake_adb import RunningAdbServer


def adb_device(server: RunningAdbServer) -> dict[str, Any]:
    settings = {"serial": SERIAL, "adb_server": server.address, "status_interval_s": 0.02}
    return {
        "id": "atv-1",
        "name": "Android TV",
        "model": "atv",
        "driver": "adb",
        "settings": settings,
    }


async def device_state(host: RunningHost, wanted: str, seconds: float = 5) -> dict[str, Any]:
    give_up = time.monotonic() + seconds
    while True:
        view: dict[str, Any] = (await host.client.get("/host/devices/atv-1")).json()
        if view["state"] == wanted:
            return view
        assert time.monotonic() < give_up, f"still {view['state']}: {view['details']}"
        await asyncio.sleep(0.02)  # a poll interval: the host reads the adb server meanwhile


async def test_an_offline_device_refuses_starts_until_it_is_back(
    host_factory: HostFactory, server: RunningAdbServer
) -> None:
    press = {"device_id": "atv-1", "actions": [{"command": "press_key", "params": {"key": "MENU"}}]}
    async with host_factory([adb_device(server)]) as host:
        view = await device_state(host, "idle")
        assert view["details"]["adb_state"] == "device"
        server.fake.set_state(SERIAL, "offline")
        view = await device_state(host, "offline")
        assert view["details"]["adb_state"] == "offline"
        refused = await host.client.post("/host/action/executeBatch", json=press)
        assert refused.status_code == 409
        assert refused.json()["error"] == "device_offline"
        server.fake.set_state(SERIAL, "device")
        await device_state(host, "idle")
        view = await finished(
            host.client, await start(host.client, "/host/action/executeBatch", press)
        )
        assert view["result"]["success"] is True, view
        assert server.fake.slots[SERIAL].device.screen == "settings"
