"""The event log of an execution as JSON pages (the stream itself: test_event_stream.py)."""

import asyncio
from typing import Any

from tests.conftest import HostFactory, RunningHost, fake
from tests.helpers import actions, finished, start, wait_status

BATCH = "/host/action/executeBatch"
JSON = {"accept": "application/json"}


async def events(host: RunningHost, execution_id: str, **params: Any) -> dict[str, Any]:
    response = await host.client.get(
        f"/host/executions/{execution_id}/events", params=params, headers=JSON
    )
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def test_the_log_tells_the_whole_run_in_order(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        body = {"device_id": "d1", "actions": actions({"command": "ok", "params": {"out": "x"}})}
        execution_id = await start(host.client, BATCH, body)
        await finished(host.client, execution_id)
        page = await events(host, execution_id)
    log = page["events"]
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert page["finished"] is True
    assert page["last_seq"] == len(log)
    assert [e["type"] for e in log] == [
        "status",
        "status",
        "log",  # the orchestrator's "started on d1"
        "progress",
        "step_started",
        "log",
        "step_finished",
        "status",
    ]
    assert [e["status"] for e in log if e["type"] == "status"] == ["queued", "running", "completed"]
    assert log[4]["step"] == {**log[4]["step"], "id": "main-0", "state": "running"}
    assert log[6]["step"]["state"] == "passed"
    assert "main ok passed" in log[5]["line"]
    assert log[-1]["result"]["output_data"] == {"out": "x"}


async def test_after_returns_only_what_follows(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(
            host.client, BATCH, {"device_id": "d1", "actions": actions("ok")}
        )
        await finished(host.client, execution_id)
        whole = await events(host, execution_id)
        tail = await events(host, execution_id, after=3)
        past_the_end = await events(host, execution_id, after=whole["last_seq"])
    assert tail["events"] == whole["events"][3:]
    assert past_the_end == {**whole, "events": []}


async def test_json_long_poll_answers_when_an_event_arrives(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        gated = {"device_id": "d1", "actions": actions("gate")}
        execution_id = await start(host.client, BATCH, gated)
        await wait_status(host.client, execution_id, {"running"})
        seen = (await events(host, execution_id))["last_seq"]
        poll = asyncio.create_task(events(host, execution_id, after=seen, wait=30))
        host.fake("d1").gate.set()
        page = await asyncio.wait_for(poll, timeout=10)
    assert page["events"][0]["seq"] == seen + 1


async def test_past_the_cap_only_status_events_are_kept(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")], max_events=10) as host:
        body = {"device_id": "d1", "actions": actions(*["ok"] * 20)}
        execution_id = await start(host.client, BATCH, body)
        await finished(host.client, execution_id)
        log = (await events(host, execution_id))["events"]
    assert [e["seq"] for e in log] == list(range(1, 13))
    assert log[10] == {**log[10], "type": "truncated", "limit": 10}
    assert log[11]["type"] == "status"
    assert log[11]["status"] == "completed"
    assert log[11]["result"]["total"] == 20


async def test_unknown_execution_and_bad_resume_point(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        unknown = await host.client.get("/host/executions/nope/events")
        assert unknown.status_code == 404
        assert unknown.json()["error"] == "execution_not_found"
        execution_id = await start(
            host.client, BATCH, {"device_id": "d1", "actions": actions("ok")}
        )
        await finished(host.client, execution_id)
        bad = await host.client.get(
            f"/host/executions/{execution_id}/events", headers={"last-event-id": "x"}
        )
        assert bad.status_code == 422
        assert bad.json()["details"][0]["loc"] == ["header", "last-event-id"]


async def test_a_stream_resumed_after_the_end_answers_204(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(
            host.client, BATCH, {"device_id": "d1", "actions": actions("ok")}
        )
        await finished(host.client, execution_id)
        last = (await events(host, execution_id))["last_seq"]
        response = await host.client.get(
            f"/host/executions/{execution_id}/events",
            headers={"accept": "text/event-stream", "last-event-id": str(last)},
        )
    assert response.status_code == 204
