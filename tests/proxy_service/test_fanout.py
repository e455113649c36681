"""Listings across hosts: partial results, with unreachable hosts listed as such."""

from tests.proxy_service.lab import LabFactory, finished_via

HOME = [{"command": "press_key", "params": {"key": "HOME"}}]


async def test_devices_of_every_host_with_the_down_one_reported(lab: LabFactory) -> None:
    async with lab(down=("host-3",)) as running:
        response = await running.client.get("/server/devices")
        assert response.status_code == 200
        hosts = {h["host_name"]: h for h in response.json()["hosts"]}
        assert set(hosts) == {"host-1", "host-2", "host-3"}
        assert [d["device_id"] for d in hosts["host-1"]["devices"]] == ["tv-1", "tv-2"]
        assert hosts["host-2"]["reachable"] is True
        assert hosts["host-3"]["reachable"] is False
        assert hosts["host-3"]["error"]["error"] == "host_offline"
        assert hosts["host-3"]["devices"] == []


async def test_executions_of_every_host_while_one_breaks_off(lab: LabFactory) -> None:
    async with lab() as running:
        for host_name in ("host-1", "host-2"):
            started = await running.client.post(
                "/server/action/executeBatch",
                json={"host_name": host_name, "device_id": "tv-1", "actions": HOME},
            )
            await finished_via(running.client, host_name, started.json()["execution_id"])
        running.links["host-2"].up = False
        response = await running.client.get("/server/executions", params={"kind": "action"})
        assert response.status_code == 200
        hosts = {h["host_name"]: h for h in response.json()["hosts"]}
        assert hosts["host-1"]["page"]["total"] == 1
        assert hosts["host-1"]["page"]["items"][0]["host_name"] == "host-1"
        assert hosts["host-2"] == {
            "host_name": "host-2",
            "reachable": False,
            "page": None,
            "error": hosts["host-2"]["error"],
        }
        assert hosts["host-2"]["error"]["error"] == "host_unreachable"


async def test_one_host_only_when_named(lab: LabFactory) -> None:
    async with lab() as running:
        response = await running.client.get("/server/devices", params={"host_name": "host-2"})
        assert [h["host_name"] for h in response.json()["hosts"]] == ["host-2"]
        unknown = await running.client.get("/server/executions", params={"host_name": "nope"})
        assert unknown.status_code == 404
