"""A device that went offline refuses starts with 409, and its view says since when."""

from datetime import datetime

from host_service.drivers.simulated import SimulatedTV
from tests.conftest import HostFactory, simulated
from tests.helpers import finished, start

BATCH = "/host/action/executeBatch"
HOME = {"command": "press_key", "params": {"key": "HOME"}}


async def test_a_start_on_an_offline_device_is_a_409_and_creates_nothing(
    host_factory: HostFactory,
) -> None:
    flaky = simulated("tv-1", faults={"disconnect_after_calls": 1})
    async with host_factory([flaky]) as host:
        body = {"device_id": "tv-1", "actions": [HOME, HOME]}
        view = await finished(host.client, await start(host.client, BATCH, body))
        assert (view["status"], view["error"]["code"]) == ("error", "device_disconnected")
        before = (await host.client.get("/host/executions")).json()["total"]

        device = (await host.client.get("/host/devices/tv-1")).json()
        assert device["state"] == "offline"
        since = datetime.fromisoformat(device["offline_since"])
        assert since <= datetime.fromisoformat(view["finished_at"])

        refused = await host.client.post(BATCH, json={"device_id": "tv-1", "actions": [HOME]})
        assert refused.status_code == 409
        assert refused.json()["error"] == "device_offline"
        assert refused.json()["details"]["offline_since"] == device["offline_since"]
        assert (await host.client.get("/host/executions")).json()["total"] == before

        driver = host.state.devices.get("tv-1").driver
        assert isinstance(driver, SimulatedTV)
        driver.reconnect()
        device = (await host.client.get("/host/devices/tv-1")).json()
        assert (device["state"], device["offline_since"]) == ("idle", None)
        again = await host.client.post(BATCH, json={"device_id": "tv-1", "actions": [HOME]})
        assert again.status_code == 202
