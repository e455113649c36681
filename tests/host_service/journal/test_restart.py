"""kill -9 of a real host process, then a restart on the same journal."""

from pathlib import Path
from typing import Any

import httpx

from tests.helpers import finished, start, wait_status
from tests.host_service.host_process import host_process, long_action
from tests.processes import run_to_exit

BATCH = "/host/action/executeBatch"


async def served(client: httpx.AsyncClient, execution_id: str) -> dict[str, Any]:
    view = await client.get(f"/host/executions/{execution_id}", params={"include_logs": 1})
    events = await client.get(
        f"/host/executions/{execution_id}/events", headers={"accept": "application/json"}
    )
    return {"view": view.json(), "events": events.json()["events"]}


async def test_kill_9_then_restart_interrupts_unfinished_and_keeps_finished(
    tmp_path: Path,
) -> None:
    journal = tmp_path / "journal.sqlite3"
    with host_process(tmp_path, journal) as host:
        async with httpx.AsyncClient(base_url=host.url) as client:
            guide = {"command": "press_key", "params": {"key": "GUIDE"}}
            done = await start(client, BATCH, {"device_id": "tv-2", "actions": [guide]})
            await finished(client, done)
            body = {"device_id": "tv-1", "actions": [long_action()], "timeout_s": 120}
            running = await start(client, BATCH, body)
            await wait_status(client, running, {"running"})
            queued = await start(client, BATCH, body)
            before = {i: await served(client, i) for i in (done, running, queued)}
            assert before[queued]["view"]["status"] == "queued"
        host.kill()

    with host_process(tmp_path, journal) as host:
        async with httpx.AsyncClient(base_url=host.url) as client:
            after = {i: await served(client, i) for i in (done, running, queued)}
            devices = (await client.get("/host/devices")).json()
            again = await start(client, BATCH, {"device_id": "tv-1", "actions": [guide]})
            assert (await finished(client, again))["status"] == "completed"

    assert after[done] == before[done]
    assert after[done]["view"]["result"]["output_data"] == {"screen": "guide"}
    for execution_id, was in ((running, "running"), (queued, "queued")):
        view = after[execution_id]["view"]
        assert view["status"] == "interrupted"
        assert view["error"]["code"] == "host_restarted"
        assert "host restarted" in view["error"]["message"]
        assert view["error"]["details"] == {"status_before_restart": was}
        events = after[execution_id]["events"]
        # Nothing the clients saw before the kill is lost; the end is told as an event.
        seen = before[execution_id]["events"]
        assert events[: len(seen)] == seen
        # The end is told as events: unfinished steps end (running ones cancelled), then
        # the status.
        ends = events[len(seen) : -1]
        assert all(e["type"] == "step_finished" for e in ends)
        assert {e["step"]["state"] for e in ends} <= {"cancelled", "skipped"}
        assert events[-1]["status"] == "interrupted"
    assert after[running]["view"]["started_at"] == before[running]["view"]["started_at"]
    assert (
        after[running]["view"]["logs"][: len(before[running]["view"]["logs"])]
        == (before[running]["view"]["logs"])
    )
    assert [(d["state"], d["queue_length"]) for d in devices] == [("idle", 0), ("idle", 0)]


def test_an_unopenable_journal_stops_python_m_host_service(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    journal.write_bytes(b"garbage, not SQLite " * 100)
    stopped = run_to_exit("host_service", "--port", "1", "--journal", str(journal))
    assert stopped.returncode == 2
    assert str(journal) in stopped.stderr
    assert "not a database" in stopped.stderr
