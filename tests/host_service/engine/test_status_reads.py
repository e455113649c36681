"""Status reads answer from a view kept per change, and still show what moved since."""

import asyncio
import time

from tests.conftest import HostFactory, fake
from tests.helpers import actions, start, wait_status

ACTION = "/host/action/executeBatch"


async def test_a_running_execution_s_elapsed_time_moves_between_reads(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(
            host.client, ACTION, {"device_id": "d1", "actions": actions("gate")}
        )
        view = await wait_status(host.client, execution_id, {"running"})
        give_up = time.monotonic() + 5
        while view["current_step_id"] is None:  # its step begins just after it runs
            assert time.monotonic() < give_up, view
            changed = await host.client.get(f"/host/executions/{execution_id}", params={"wait": 1})
            view = changed.json()
        url = f"/host/action/execution/{execution_id}/status"
        first = (await host.client.get(url)).json()
        deadline = time.monotonic() + 5
        later = first
        while later["elapsed_ms"] == first["elapsed_ms"] and time.monotonic() < deadline:
            await asyncio.sleep(0.005)  # time must pass: nothing else changes the view
            later = (await host.client.get(url)).json()
        assert later["elapsed_ms"] > first["elapsed_ms"] > 0
        assert {**later, "elapsed_ms": None} == {**first, "elapsed_ms": None}
        host.fake("d1").gate.set()
        done = await wait_status(host.client, execution_id, {"completed"})
        assert done["elapsed_ms"] == (await host.client.get(url)).json()["elapsed_ms"]


async def test_a_queued_execution_moves_up_when_the_one_ahead_leaves(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        running = await start(host.client, ACTION, {"device_id": "d1", "actions": actions("gate")})
        await wait_status(host.client, running, {"running"})
        ahead, behind = [
            await start(host.client, ACTION, {"device_id": "d1", "actions": actions("ok")})
            for _ in range(2)
        ]
        url = f"/host/executions/{behind}"
        assert (await host.client.get(url)).json()["queue_position"] == 2
        await host.client.post(f"/host/executions/{ahead}/cancel")
        # `behind` itself did not change: its kept view must not answer for it.
        assert (await host.client.get(url)).json()["queue_position"] == 1
        host.fake("d1").gate.set()
        assert (await wait_status(host.client, behind, {"completed"}))["queue_position"] is None


async def test_status_parameters_are_checked_and_named(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(
            host.client, ACTION, {"device_id": "d1", "actions": actions("ok")}
        )
        await wait_status(host.client, execution_id, {"completed"})
        cases = {
            f"/host/executions/{execution_id}?wait=soon": ["query", "wait"],
            f"/host/executions/{execution_id}?wait=61": ["query", "wait"],
            f"/host/action/execution/{execution_id}/status?include_logs=maybe": [
                "query",
                "include_logs",
            ],
            f"/host/sideways/execution/{execution_id}/status": ["path", "kind"],
        }
        for url, loc in cases.items():
            response = await host.client.get(url)
            assert response.status_code == 422, url
            assert response.json()["details"][0]["loc"] == loc, url
        with_logs = await host.client.get(
            f"/host/builder/execution/{execution_id}/status?include_logs=true&unknown=1"
        )
        assert with_logs.status_code == 404  # an action, not a block: the kind is checked
        view = (
            await host.client.get(f"/host/action/execution/{execution_id}/status?include_logs=1")
        ).json()
        assert isinstance(view["logs"], list)
        assert view["logs"]
        assert (await host.client.get(f"/host/executions/{execution_id}")).json()["logs"] is None
