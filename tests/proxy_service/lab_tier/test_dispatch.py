"""Starts for any matching device: the lab queue, its order, and dispatch exactly once."""

import asyncio
import itertools
from datetime import datetime
from typing import Any

import httpx

from proxy_service.dispatcher import QUEUE_PAGE
from tests.helpers import TERMINAL
from tests.proxy_service.lab import Lab, LabFactory
from tests.proxy_service.lab_tier.history import host_client

START = "/server/action/executeBatch"


def device(device_id: str, model: str, *tags: str) -> dict[str, Any]:
    return {
        "id": device_id,
        "name": device_id,
        "model": model,
        "driver": "fake",
        "tags": list(tags),
    }


HOSTS = {
    "host-1": [device("d1", "box-a", "hdmi"), device("d2", "box-a")],
    "host-2": [device("d1", "box-b", "hdmi")],
}


async def lab_start(lab: Lab, selector: dict[str, Any], command: str = "ok", **extra: Any) -> str:
    body = {"device_selector": selector, "actions": [{"command": command}], **extra}
    started = await lab.client.post(START, json=body)
    assert started.status_code == 202, started.text
    assert started.json()["status_url"].startswith("/server/action/execution/")
    execution_id: str = started.json()["execution_id"]
    return execution_id


async def lab_view(client: httpx.AsyncClient, execution_id: str, wait: float = 0) -> dict[str, Any]:
    response = await client.get(f"/server/executions/{execution_id}", params={"wait": wait})
    assert response.status_code == 200, response.text
    view: dict[str, Any] = response.json()
    return view


async def until(client: httpx.AsyncClient, execution_id: str, statuses: set[str]) -> dict[str, Any]:
    """Long-poll the lab execution until its status is one of `statuses` (10 s at most)."""
    give_up = datetime.now().timestamp() + 10
    while True:
        view = await lab_view(client, execution_id, wait=1)
        if view["status"] in statuses:
            return view
        assert datetime.now().timestamp() < give_up, view


def gate(lab: Lab, host: str, device_id: str) -> Any:
    return lab.hosts[host].devices.get(device_id).driver.gate  # type: ignore[attr-defined]


async def test_a_selector_start_runs_on_a_matching_device_of_any_host(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(HOSTS, database_url=database_url) as running:
        on_b = await lab_start(running, {"model": "box-b"})
        done = await until(running.client, on_b, TERMINAL)
        assert done["status"] == "completed"
        assert (done["host_name"], done["device_id"]) == ("host-2", "d1")
        assert done["execution_id"] == on_b  # the lab id, whatever the host's id is
        tagged = await lab_start(running, {"tags": ["hdmi"], "host_name": "host-1"})
        done = await until(running.client, tagged, TERMINAL)
        assert (done["host_name"], done["device_id"]) == ("host-1", "d1")
        status = await running.client.get(f"/server/action/execution/{tagged}/status")
        assert status.json()["status"] == "completed"


async def test_forty_requests_on_three_devices_never_share_a_device_and_all_complete(
    lab: LabFactory, database_url: str
) -> None:
    hosts = {"host-1": [device("d1", "m"), device("d2", "m")], "host-2": [device("d1", "m")]}
    async with lab(hosts, database_url=database_url) as running:
        ids = [await lab_start(running, {"model": "m"}) for _ in range(40)]
        views = [await until(running.client, i, TERMINAL) for i in ids]
        assert {v["status"] for v in views} == {"completed"}
        by_device: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for view in views:
            by_device.setdefault((view["host_name"], view["device_id"]), []).append(view)
        assert set(by_device) == {("host-1", "d1"), ("host-1", "d2"), ("host-2", "d1")}
        for on_device in by_device.values():
            on_device.sort(key=lambda v: v["created_at"])
            # Handed to the host only once the one before had ended: never two at once,
            # not even one waiting in the host's own queue.
            for before, after in itertools.pairwise(on_device):
                assert after["created_at"] >= before["finished_at"]
        made = 0  # on the hosts: one execution per request, none twice
        for name in hosts:
            async with host_client(running, name) as host:
                made += (await host.get("/host/executions", params={"limit": 1})).json()["total"]
        assert made == 40


async def test_a_request_for_a_free_model_passes_one_that_waits(lab: LabFactory) -> None:
    async with lab(HOSTS) as running:
        busy = [await lab_start(running, {"model": "box-a"}, "gate") for _ in range(2)]
        waiting = await lab_start(running, {"model": "box-a"})
        for execution_id in busy:
            await until(running.client, execution_id, {"running"})
        other = await lab_start(running, {"model": "box-b"})
        assert (await until(running.client, other, TERMINAL))["status"] == "completed"
        queued = await lab_view(running.client, waiting)
        assert (queued["status"], queued["queue_position"]) == ("queued", 1)
        gate(running, "host-1", "d1").set()
        gate(running, "host-1", "d2").set()
        assert (await until(running.client, waiting, TERMINAL))["status"] == "completed"


async def test_a_free_model_is_found_behind_more_waiting_requests_than_one_read(
    lab: LabFactory,
) -> None:
    async with lab(HOSTS) as running:
        busy = [await lab_start(running, {"model": "box-a"}, "gate") for _ in range(2)]
        for execution_id in busy:
            await until(running.client, execution_id, {"running"})
        # More requests for the busy model than the dispatcher reads at a time.
        waiting = await asyncio.gather(
            *(lab_start(running, {"model": "box-a"}) for _ in range(QUEUE_PAGE + 5))
        )
        other = await lab_start(running, {"model": "box-b"})
        assert (await until(running.client, other, TERMINAL))["status"] == "completed"
        assert (await lab_view(running.client, waiting[-1]))["status"] == "queued"
        gate(running, "host-1", "d1").set()
        gate(running, "host-1", "d2").set()


async def test_higher_priority_goes_first_and_fifo_within_a_priority(lab: LabFactory) -> None:
    async with lab({"host-1": [device("d1", "solo")]}) as running:
        blocker = await lab_start(running, {"model": "solo"}, "gate")
        await until(running.client, blocker, {"running"})
        low_1 = await lab_start(running, {"model": "solo"})
        low_2 = await lab_start(running, {"model": "solo"})
        high = await lab_start(running, {"model": "solo"}, priority=5)
        positions = [
            (await lab_view(running.client, i))["queue_position"] for i in (high, low_1, low_2)
        ]
        assert positions == [1, 2, 3]
        gate(running, "host-1", "d1").set()
        views = [await until(running.client, i, TERMINAL) for i in (low_1, low_2, high)]
        started = sorted(views, key=lambda v: v["started_at"])
        assert [v["execution_id"] for v in started] == [high, low_1, low_2]


async def test_a_selector_no_device_can_match_is_refused_naming_it(lab: LabFactory) -> None:
    async with lab(HOSTS) as running:
        body = {"device_selector": {"model": "toaster"}, "actions": [{"command": "ok"}]}
        refused = await running.client.post(START, json=body)
        assert refused.status_code == 422
        assert refused.json()["details"][0]["loc"] == ["body", "device_selector"]
        assert "toaster" in refused.json()["message"]
        both = await running.client.post(
            START, json={**body, "device_id": "d1", "device_selector": {"model": "box-a"}}
        )
        assert both.status_code == 422
        assert both.json()["details"][0]["loc"] == ["body", "device_id"]
        stray = await running.client.post(
            START,
            json={
                "host_name": "host-1",
                "device_id": "d1",
                "priority": 3,
                "actions": [{"command": "ok"}],
            },
        )
        assert stray.status_code == 422
        assert stray.json()["details"][0]["loc"] == ["body", "priority"]


async def test_a_queued_request_is_cancelled_at_once_and_a_wait_limit_ends_another(
    lab: LabFactory,
) -> None:
    async with lab({"host-1": [device("d1", "solo")]}) as running:
        blocker = await lab_start(running, {"model": "solo"}, "gate")
        await until(running.client, blocker, {"running"})
        queued = await lab_start(running, {"model": "solo"})
        cancelled = await running.client.post(f"/server/executions/{queued}/cancel")
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        again = await running.client.post(f"/server/executions/{queued}/cancel")
        assert again.status_code == 409
        impatient = await lab_start(running, {"model": "solo"}, queue_timeout_s=0.2)
        ended = await until(running.client, impatient, TERMINAL)
        assert ended["status"] == "timed_out"
        assert ended["error"]["code"] == "queue_timeout"
        running_cancel = await running.client.post(f"/server/executions/{blocker}/cancel")
        assert running_cancel.status_code == 200
        assert (await until(running.client, blocker, TERMINAL))["status"] == "cancelled"
        unknown = await running.client.get("/server/executions/no-such-lab-id")
        assert unknown.status_code == 404
