"""An execution's life: accepted at once, queued behind a busy device, run, finished."""

import asyncio

import pytest

from tests.conftest import HostFactory, fake
from tests.helpers import actions, finished, start, wait_status


async def test_start_answers_202_with_links_and_headers(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        response = await host.client.post(
            "/host/action/executeBatch", json={"device_id": "d1", "actions": actions("ok")}
        )
        assert response.status_code == 202
        body = response.json()
        execution_id = body["execution_id"]
        assert body["kind"] == "action"
        assert body["status_url"] == f"/host/action/execution/{execution_id}/status"
        assert body["events_url"] == f"/host/executions/{execution_id}/events"
        assert response.headers["location"] == body["status_url"]
        assert response.headers["retry-after"] == "1"
        view = await finished(host.client, execution_id)
        assert view["status"] == "completed"
        assert view["result"]["success"] is True
        assert view["progress"] == 100
        assert view["started_at"]
        assert view["finished_at"]
        assert view["elapsed_ms"] >= 0


async def test_queued_then_running_then_completed(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        first = await start(
            host.client,
            "/host/action/executeBatch",
            {"device_id": "d1", "actions": actions("gate")},
        )
        await wait_status(host.client, first, {"running"})
        second = await start(
            host.client, "/host/action/executeBatch", {"device_id": "d1", "actions": actions("ok")}
        )
        queued = (await host.client.get(f"/host/action/execution/{second}/status")).json()
        assert queued["status"] == "queued"
        assert queued["queue_position"] == 1
        device = (await host.client.get("/host/devices/d1")).json()
        assert device["state"] == "busy"
        assert device["current_execution_id"] == first
        assert device["queued_execution_ids"] == [second]

        host.fake("d1").gate.set()
        assert (await finished(host.client, first))["status"] == "completed"
        view = await finished(host.client, second)
        assert view["status"] == "completed"
        assert view["queue_position"] is None
        assert (await host.client.get("/host/devices/d1")).json()["state"] == "idle"


async def test_status_route_checks_the_kind(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(
            host.client, "/host/action/executeBatch", {"device_id": "d1", "actions": actions("ok")}
        )
        wrong = await host.client.get(f"/host/verification/execution/{execution_id}/status")
        assert wrong.status_code == 404
        assert wrong.json()["error"] == "execution_not_found"


async def test_long_poll_answers_on_change_not_after_the_full_wait(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(
            host.client,
            "/host/action/executeBatch",
            {"device_id": "d1", "actions": actions("gate")},
        )
        await wait_status(host.client, execution_id, {"running"})
        poll = asyncio.create_task(
            host.client.get(f"/host/action/execution/{execution_id}/status", params={"wait": 30})
        )
        host.fake("d1").gate.set()
        # The test's own 60 s timeout would fire long before a 30 s wait ended twice.
        response = await asyncio.wait_for(poll, timeout=10)
        assert response.json()["status"] == "completed"


async def test_listing_filters_and_paginates(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1"), fake("d2")]) as host:
        ids = [
            await start(
                host.client, "/host/action/executeBatch", {"device_id": d, "actions": actions(c)}
            )
            for d, c in [("d1", "ok"), ("d2", "fail"), ("d1", "ok")]
        ]
        for execution_id in ids:
            await finished(host.client, execution_id)
        verification = await start(
            host.client,
            "/host/verification/executeBatch",
            {
                "device_id": "d2",
                "verifications": [{"type": "flag", "command": "wait_for_flag", "timeout_s": 0.01}],
            },
        )
        await finished(host.client, verification)

        page = (await host.client.get("/host/executions", params={"device_id": "d1"})).json()
        assert page["total"] == 2
        assert [item["execution_id"] for item in page["items"]] == [ids[2], ids[0]]  # newest first
        page = (await host.client.get("/host/executions", params={"kind": "verification"})).json()
        assert [item["execution_id"] for item in page["items"]] == [verification]
        page = (await host.client.get("/host/executions", params={"limit": 2, "offset": 1})).json()
        assert page["total"] == 4
        assert len(page["items"]) == 2
        bad = await host.client.get("/host/executions", params={"status": "nonsense"})
        assert bad.status_code == 422


async def test_a_worker_thread_that_fails_to_record_its_outcome_loses_nothing(
    host_factory: HostFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with host_factory([fake("d1")]) as host:
        leases = host.state.leases
        real = leases.mark_returned
        failures = iter([RuntimeError("marking failed")])

        def failing_once(device_id: str, execution_id: str) -> None:
            failure = next(failures, None)
            if failure is not None:
                raise failure
            real(device_id, execution_id)

        monkeypatch.setattr(leases, "mark_returned", failing_once)
        body = {"device_id": "d1", "actions": [{"command": "ok"}]}
        broken = await start(host.client, "/host/action/executeBatch", body)
        after = await start(host.client, "/host/action/executeBatch", body)
        view = await finished(host.client, broken)
        assert (view["status"], view["error"]["code"]) == ("error", "internal_error")
        assert "marking failed" in view["error"]["message"]
        assert (await finished(host.client, after))["status"] == "completed"
