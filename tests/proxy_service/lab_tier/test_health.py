"""Device health: quarantine after errors in a row, retry elsewhere, drain and release."""

import asyncio
import time
from typing import Any

from tests.helpers import TERMINAL
from tests.proxy_service.lab import Lab, LabFactory
from tests.proxy_service.lab_tier.test_dispatch import device, gate, lab_start, until

BOX_A = {"host-1": [device("d1", "box-a"), device("d2", "box-a")]}


async def inventory(lab: Lab) -> dict[str, dict[str, Any]]:
    listed = await lab.client.get("/server/lab/devices")
    assert listed.status_code == 200, listed.text
    return {f"{d['host_name']}/{d['device_id']}": d for d in listed.json()}


async def host_views(lab: Lab) -> dict[str, dict[str, Any]]:
    listed = await lab.client.get("/server/devices")
    assert listed.status_code == 200, listed.text
    return {d["device_id"]: d for h in listed.json()["hosts"] for d in h["devices"]}


async def device_until(lab: Lab, key: str, wanted: str) -> dict[str, Any]:
    """The inventory's view of a device once its state is `wanted` (5 s at most)."""
    give_up = time.monotonic() + 5
    while (shown := (await inventory(lab))[key])["state"] != wanted:
        assert time.monotonic() < give_up, shown
        await asyncio.sleep(0.01)
    return shown


def broken_calls(lab: Lab, device_id: str) -> int:
    calls = lab.hosts["host-1"].devices.get(device_id).driver.calls.snapshot()
    return sum(call.operation == "broken" for call in calls)


async def test_errors_in_a_row_quarantine_a_device_and_requests_go_to_another(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(BOX_A, database_url=database_url, quarantine_after_errors=2) as running:
        on_d1 = {"host_name": "host-1", "device_ids": ["d1"]}
        failed = await lab_start(running, on_d1, "fail")  # a failed test: not the device's fault
        assert (await until(running.client, failed, TERMINAL))["status"] == "completed"
        for _ in range(2):
            broken = await lab_start(running, on_d1, "broken")
            assert (await until(running.client, broken, TERMINAL))["status"] == "error"
        # The client may see the host's end before the dispatcher counted it.
        held = await device_until(running, "host-1/d1", "quarantined")
        assert "2 lab executions in a row ended in error" in held["hold"]["reason"]
        assert held["hold"]["since"] is not None
        assert (await inventory(running))["host-1/d2"]["state"] == "idle"
        shown = (await host_views(running))["d1"]
        assert (shown["state"], shown["hold"]["state"]) == ("quarantined", "quarantined")
        assert shown["hold"]["host_state"] == "idle"
        for _ in range(3):  # every one goes to the healthy device
            done = await until(
                running.client, await lab_start(running, {"model": "box-a"}), TERMINAL
            )
            assert (done["device_id"], done["status"]) == ("d2", "completed")
        waiting = await lab_start(running, on_d1)  # only d1 matches: it waits
        released = await running.client.post(
            "/server/devices/d1/release", params={"host_name": "host-1"}
        )
        assert released.status_code == 200, released.text
        assert (released.json()["state"], released.json()["errors_in_row"]) == ("idle", 0)
        assert (await until(running.client, waiting, TERMINAL))["status"] == "completed"


async def test_an_end_that_is_not_an_error_breaks_the_row_of_errors(lab: LabFactory) -> None:
    async with lab(BOX_A, quarantine_after_errors=2) as running:
        on_d1 = {"host_name": "host-1", "device_ids": ["d1"]}
        for command in ("broken", "ok", "broken"):
            await until(running.client, await lab_start(running, on_d1, command), TERMINAL)
        # Dispatched only once the last one ended in the lab, and only if d1 is not held.
        after = await until(running.client, await lab_start(running, on_d1), TERMINAL)
        assert (after["device_id"], after["status"]) == ("d1", "completed")


async def test_a_request_ending_in_error_is_retried_once_on_another_device(
    lab: LabFactory,
) -> None:
    hosts = {"host-1": [device(f"d{i}", "m") for i in (1, 2, 3)]}
    async with lab(hosts, quarantine_after_errors=0) as running:
        retried = await lab_start(running, {"model": "m"}, "broken", retry_on_infra_failure=True)
        ended = await until(running.client, retried, TERMINAL)
        assert ended["status"] == "error"
        tried = [d for d in ("d1", "d2", "d3") if broken_calls(running, d)]
        assert len(tried) == 2  # the first device, then one other, then no more
        assert ended["device_id"] in tried
        once = await lab_start(running, {"model": "m"}, "broken")  # it did not ask
        assert (await until(running.client, once, TERMINAL))["status"] == "error"


async def test_drain_finishes_what_runs_and_takes_nothing_new_until_released(
    lab: LabFactory,
) -> None:
    async with lab(BOX_A) as running:
        busy = await lab_start(running, {"host_name": "host-1", "device_ids": ["d1"]}, "gate")
        await until(running.client, busy, {"running"})
        drained = await running.client.post(
            "/server/devices/d1/drain",
            params={"host_name": "host-1"},
            json={"reason": "firmware update"},
        )
        assert drained.status_code == 200, drained.text
        assert drained.json()["hold"]["reason"] == "firmware update"
        assert drained.json()["lab_execution_id"] == busy
        gate(running, "host-1", "d1").set()
        assert (await until(running.client, busy, TERMINAL))["status"] == "completed"
        done = await until(running.client, await lab_start(running, {"model": "box-a"}), TERMINAL)
        assert done["device_id"] == "d2"
        host = await running.client.post("/server/hosts/host-1/drain", json={"reason": "move"})
        assert host.status_code == 200, host.text
        assert {d["state"] for d in host.json()} == {"draining"}
        assert (
            "host host-1 is draining: move" in (await host_views(running))["d2"]["hold"]["reason"]
        )
        waiting = await lab_start(running, {"model": "box-a"})
        assert (await until(running.client, waiting, {"queued"}))["queue_position"] == 1
        assert (await running.client.post("/server/hosts/host-1/release")).status_code == 200
        assert (await until(running.client, waiting, TERMINAL))["device_id"] == "d2"  # d1 drains
        unknown = await running.client.post(
            "/server/devices/d9/drain", params={"host_name": "host-1"}
        )
        assert (unknown.status_code, unknown.json()["error"]) == (404, "device_not_found")
        assert (await running.client.post("/server/hosts/nope/drain")).status_code == 404


async def test_operator_routes_need_an_api_key_when_keys_are_configured(lab: LabFactory) -> None:
    async with lab(BOX_A, api_keys=["k-1"]) as running:
        running.client.headers.pop("Authorization", None)
        refused = await running.client.post("/server/hosts/host-1/drain")
        assert refused.status_code == 401
        assert (await inventory_with(running, "k-1"))["host-1/d1"]["hold"] is None
        allowed = await running.client.post(
            "/server/devices/d1/quarantine",
            params={"host_name": "host-1"},
            headers={"Authorization": "Bearer k-1"},
        )
        assert allowed.status_code == 200
        assert allowed.json()["state"] == "quarantined"


async def inventory_with(lab: Lab, key: str) -> dict[str, dict[str, Any]]:
    listed = await lab.client.get("/server/lab/devices", headers={"Authorization": f"Bearer {key}"})
    assert listed.status_code == 200, listed.text
    return {f"{d['host_name']}/{d['device_id']}": d for d in listed.json()}
