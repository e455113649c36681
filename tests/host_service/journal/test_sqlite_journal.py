"""The journal: what a host served before a restart it serves after, the same way."""

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from asgi_lifespan import LifespanManager
from httpx_sse import aconnect_sse

from host_service import HostSettings, create_app
from host_service.journal import JournalError
from host_service.journal.sqlite.journal import ExecutionJournal
from tests.conftest import TEST_DRIVERS, HostFactory, RunningHost, fake, write_host_config
from tests.helpers import actions, finished, start, wait_status

BATCH = "/host/action/executeBatch"


async def snapshot(host: RunningHost, execution_id: str) -> dict[str, Any]:
    view = await host.client.get(f"/host/executions/{execution_id}", params={"include_logs": 1})
    events = await host.client.get(
        f"/host/executions/{execution_id}/events", headers={"accept": "application/json"}
    )
    return {"view": view.json(), "events": events.json()}


async def test_finished_executions_are_served_the_same_after_a_restart(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        passed = await start(host.client, BATCH, {"device_id": "d1", "actions": actions("ok")})
        await finished(host.client, passed)
        body = {"device_id": "d1", "actions": actions("fail")}
        failed = await host.client.post(BATCH, json=body, headers={"idempotency-key": "k1"})
        failed_id = failed.json()["execution_id"]
        await finished(host.client, failed_id)
        before = [await snapshot(host, i) for i in (passed, failed_id)]

    async with host_factory([fake("d1")]) as host:
        after = [await snapshot(host, i) for i in (passed, failed_id)]
        assert after == before
        assert before[0]["view"]["result"]["success"] is True
        assert before[1]["view"]["result"]["success"] is False
        assert any("main ok passed" in line for line in after[0]["view"]["logs"])
        assert after[0]["events"]["events"][-1]["status"] == "completed"
        listing = (await host.client.get("/host/executions")).json()
        assert [i["execution_id"] for i in listing["items"]] == [failed_id, passed]
        again = await host.client.post(BATCH, json=body, headers={"idempotency-key": "k1"})
        assert again.status_code == 200
        assert again.json()["execution_id"] == failed_id


async def test_a_finished_record_read_back_keeps_its_json_not_models(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        done = await start(host.client, BATCH, {"device_id": "d1", "actions": actions("ok")})
        await finished(host.client, done)
        before = await snapshot(host, done)
        stored = host.state.registry.get(done).events.after(0)

    async with host_factory([fake("d1")]) as host:
        record = host.state.registry.get(done)
        assert record.stored is not None  # no result or step models were built
        assert record.events.after(0) == stored  # the events' bytes as they were written
        assert await snapshot(host, done) == before
        assert record.stored is not None  # a view builds what it shows and keeps nothing
        assert record.result is not None
        assert record.result.success is True


async def stream(
    host: RunningHost, execution_id: str, last_event_id: int | None = None
) -> list[int]:
    """The seqs of the event stream, which must end by itself (a finished execution)."""
    headers = {} if last_event_id is None else {"last-event-id": str(last_event_id)}
    url = f"/host/executions/{execution_id}/events"

    async def read() -> list[int]:
        async with aconnect_sse(host.client, "GET", url, headers=headers) as source:
            return [int(sse.id) async for sse in source.aiter_sse() if sse.data]

    return await asyncio.wait_for(read(), timeout=10)


async def test_more_than_ten_events_come_back_in_seq_order_after_a_restart(
    host_factory: HostFactory,
) -> None:
    """Seqs 1..N, not 1, 10, 11, ..., 2: the stream ends, Last-Event-ID resumes after it."""
    async with host_factory([fake("d1")]) as host:
        body = {"device_id": "d1", "actions": actions(*["ok"] * 5)}
        execution_id = await start(host.client, BATCH, body)
        await finished(host.client, execution_id)
        before = await snapshot(host, execution_id)
    count = len(before["events"]["events"])
    assert count > 20  # seqs of two digits, and past 20

    async with host_factory([fake("d1")]) as host:
        after = await snapshot(host, execution_id)
        assert [e["seq"] for e in after["events"]["events"]] == list(range(1, count + 1))
        assert after == before
        assert await stream(host, execution_id) == list(range(1, count + 1))
        assert await stream(host, execution_id, last_event_id=9) == list(range(10, count + 1))


async def test_a_clean_stop_interrupts_what_ran_and_the_restart_keeps_it(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        running = await start(host.client, BATCH, {"device_id": "d1", "actions": actions("gate")})
        await wait_status(host.client, running, {"running"})
        queued = await start(host.client, BATCH, {"device_id": "d1", "actions": actions("ok")})

    async with host_factory([fake("d1")]) as host:
        for execution_id in (running, queued):
            view = (await host.client.get(f"/host/executions/{execution_id}")).json()
            assert view["status"] == "interrupted"
            assert view["error"]["code"] == "host_stopped"
        device = (await host.client.get("/host/devices/d1")).json()
        assert device["state"] == "idle"
        assert device["queue_length"] == 0
        fresh = await start(host.client, BATCH, {"device_id": "d1", "actions": actions("ok")})
        assert (await finished(host.client, fresh))["status"] == "completed"


async def test_a_burst_committed_in_shared_batches_comes_back_whole(
    host_factory: HostFactory,
) -> None:
    """150 starts at once: rows of many executions share each multi-row statement."""
    devices = [fake("d1"), fake("d2"), fake("d3")]
    listing_params = {"limit": 500}
    async with host_factory(devices, retention_max_count=100) as host:
        ids = await asyncio.gather(
            *(
                start(host.client, BATCH, {"device_id": f"d{i % 3 + 1}", "actions": actions("ok")})
                for i in range(150)
            )
        )
        for execution_id in ids[-3:]:  # the last of each device's queue
            await finished(host.client, execution_id)
        before = (await host.client.get("/host/executions", params=listing_params)).json()
        events_before = [await snapshot(host, i) for i in ids[-100::9]]
    assert before["total"] == 100  # retention evicted the 50 oldest, in batches too
    assert {item["status"] for item in before["items"]} == {"completed"}

    async with host_factory(devices, retention_max_count=100) as host:
        after = (await host.client.get("/host/executions", params=listing_params)).json()
        assert after == before
        assert [await snapshot(host, i) for i in ids[-100::9]] == events_before
        assert (await host.client.get(f"/host/executions/{ids[0]}")).status_code == 404


async def test_retention_deletes_from_the_journal(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    async with host_factory([fake("d1")], retention_max_count=2) as host:
        ids = []
        for _ in range(3):
            execution_id = await start(
                host.client, BATCH, {"device_id": "d1", "actions": actions("ok")}
            )
            await finished(host.client, execution_id)
            ids.append(execution_id)
    with sqlite3.connect(tmp_path / "var" / "test-host.sqlite3") as db:
        kept = {row[0] for row in db.execute("SELECT execution_id FROM executions")}
        numbers = {row[0] for row in db.execute("SELECT execution_no FROM executions")}
        for table in ("events", "logs"):
            keys = {row[0] for row in db.execute(f"SELECT DISTINCT execution_no FROM {table}")}  # noqa: S608
            assert keys == numbers
    assert kept == set(ids[1:])
    async with host_factory([fake("d1")], retention_max_count=2) as host:
        assert (await host.client.get(f"/host/executions/{ids[0]}")).status_code == 404
        assert (await host.client.get(f"/host/executions/{ids[2]}")).status_code == 200


async def test_journal_none_keeps_nothing_across_a_restart(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")], journal="none") as host:
        execution_id = await start(
            host.client, BATCH, {"device_id": "d1", "actions": actions("ok")}
        )
        await finished(host.client, execution_id)
    async with host_factory([fake("d1")], journal="none") as host:
        assert (await host.client.get(f"/host/executions/{execution_id}")).status_code == 404


def unopenable(tmp_path: Path) -> list[tuple[Path, str]]:
    """Journal paths a host cannot use, with a word the error must contain."""
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database, just bytes " * 200)
    parent_is_file = tmp_path / "plain-file"
    parent_is_file.write_text("x")
    directory = tmp_path / "a-directory"
    directory.mkdir()
    return [
        (corrupt, "not a database"),
        (parent_is_file / "journal.sqlite3", "plain-file"),
        (directory, "unable to open"),
    ]


def test_an_unopenable_journal_names_the_file_and_the_cause(tmp_path: Path) -> None:
    for path, cause in unopenable(tmp_path):
        with pytest.raises(JournalError) as caught:
            ExecutionJournal.open(path)
        assert str(path) in str(caught.value)
        assert cause in str(caught.value)


async def test_an_unopenable_journal_stops_the_host_at_startup(tmp_path: Path) -> None:
    config = write_host_config(tmp_path / "host.yaml", [fake("d1")])
    path, _ = unopenable(tmp_path)[0]
    app = create_app(HostSettings(config_path=config, journal=str(path)), drivers=TEST_DRIVERS)
    with pytest.raises(JournalError, match="not a database"):
        async with LifespanManager(app, startup_timeout=30):
            pass


async def test_a_state_is_in_the_journal_before_a_client_sees_it(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    def journal_status(execution_id: str) -> str | None:
        with sqlite3.connect(tmp_path / "var" / "test-host.sqlite3") as db:
            row = db.execute(
                "SELECT status FROM executions WHERE execution_id = ?", (execution_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    async with host_factory([fake("d1")]) as host:
        execution_id = await start(
            host.client, BATCH, {"device_id": "d1", "actions": actions("gate")}
        )
        assert journal_status(execution_id) in ("queued", "running")
        await wait_status(host.client, execution_id, {"running"})
        assert journal_status(execution_id) == "running"
        host.fake("d1").gate.set()
        await finished(host.client, execution_id)
        assert journal_status(execution_id) == "completed"


async def test_what_expired_while_the_host_was_down_is_evicted_at_startup(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(
            host.client, BATCH, {"device_id": "d1", "actions": actions("ok")}
        )
        await finished(host.client, execution_id)
    async with host_factory([fake("d1")], retention_max_age_s=0.001) as host:
        assert (await host.client.get(f"/host/executions/{execution_id}")).status_code == 404


def test_an_sqlite_too_old_for_the_journal_is_refused_naming_both_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    path = tmp_path / "journal.sqlite3"
    with pytest.raises(JournalError, match=r"SQLite 3\.31\.1 is too old.*3\.33\.0 or newer"):
        ExecutionJournal.open(path)
    assert not path.exists()


def test_a_journal_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=99")
    with pytest.raises(JournalError, match="schema version 99"):
        ExecutionJournal.open(path)


async def test_a_journal_that_fails_at_run_time_does_not_stop_executions(
    host_factory: HostFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with host_factory([fake("d1")]) as host:
        with sqlite3.connect(tmp_path / "var" / "test-host.sqlite3") as db:
            db.execute("DROP TABLE events")  # damage from outside, while the host runs
        execution_id = await start(
            host.client, BATCH, {"device_id": "d1", "actions": actions("ok")}
        )
        view = await finished(host.client, execution_id)
    assert view["status"] == "completed"
    assert "no such table: events" in caplog.text
    assert f"cannot write execution {execution_id}" in caplog.text
