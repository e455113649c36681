"""Two proxy replicas on one PostgreSQL serve one lab (real processes on loopback).

Any replica answers any lab execution (status, long-poll, events, cancel, JUnit), the
history, and the hosts registered through the other; a request accepted by one is
dispatched by whichever is free; one killed with kill -9 mid-load loses nothing and
dispatches nothing twice.
"""

import asyncio
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers import TERMINAL
from tests.postgres import PostgresServer
from tests.proxy_service.lab_tier.replica_lab import ReplicaLab, replica_lab, wait_for

ACTION = "/server/action/executeBatch"
CAMPAIGN = "/server/campaign/execute"
QUICK = [{"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": 60}]
LONG = [{"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": 20_000}]
ONE_ITEM = {
    "id": "replicated",
    "name": "One item",
    "items": [{"testcase_id": "check_resolution", "inputs": {"resolution": "2160p"}}],
}
ON_TV_1 = {"host_name": "host-1", "device_ids": ["tv-1"]}


@pytest.fixture(scope="module")
def lab(postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaLab]:
    """The replicas and the host for this module; the kill -9 test, last, ends replica a."""
    with replica_lab(tmp_path_factory.mktemp("replicas"), postgres.new_database()) as running:
        yield running


async def hosts(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    listed = await client.get("/server/hosts")
    assert listed.status_code == 200, listed.text
    return {h["host_name"]: h for h in listed.json()}


async def start(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> str:
    response = await client.post(path, json=body)
    assert response.status_code == 202, response.text
    execution_id: str = response.json()["execution_id"]
    return execution_id


async def until(client: httpx.AsyncClient, execution_id: str, wanted: set[str]) -> dict[str, Any]:
    """Long-poll a lab execution until its status is one of `wanted` (10 s at most)."""
    give_up = time.monotonic() + 10
    while True:
        response = await client.get(f"/server/executions/{execution_id}", params={"wait": 1})
        assert response.status_code == 200, response.text
        view: dict[str, Any] = response.json()
        if view["status"] in wanted:
            return view
        assert time.monotonic() < give_up, view


async def in_history(client: httpx.AsyncClient, host_name: str, execution_id: str) -> bool:
    page = await client.get("/server/history", params={"host_name": host_name})
    assert page.status_code == 200, page.text
    return execution_id in {i["execution_id"] for i in page.json()["items"]}


def event_ids(text: str) -> list[str]:
    return re.findall(r"^id: (\S+)\r?$", text, re.MULTILINE)


def claimant_pid(row: dict[str, Any]) -> int:
    """The process that claimed a request (`claimed_by` is machine:pid:random)."""
    return int(row["claimed_by"].split(":")[1])


async def test_a_replica_serves_the_hosts_and_requests_the_other_took(lab: ReplicaLab) -> None:
    async with (
        httpx.AsyncClient(base_url=lab.url("a"), timeout=10) as at_a,
        httpx.AsyncClient(base_url=lab.url("b"), timeout=10) as at_b,
    ):
        # The host registered through a; b knows it too, without a restart.

        async def known_at_b() -> bool:
            return (await hosts(at_b)).get("host-1", {}).get("status") == "online"

        await wait_for(known_at_b, "host-1 online at b", 5)
        devices = (await hosts(at_b))["host-1"]["devices"]
        beat = await at_b.post("/server/hosts/host-1/heartbeat", json={"devices": devices})
        assert beat.status_code == 200, beat.text  # not 404: b knows the host a registered

        busy = await start(at_b, ACTION, {"device_selector": ON_TV_1, "actions": LONG})
        assert (await until(at_a, busy, {"running"}))["host_name"] == "host-1"
        taken = await start(at_a, CAMPAIGN, {"device_selector": ON_TV_1, "campaign": ONE_ITEM})
        assert (await until(at_b, taken, {"queued"}))["queue_position"] == 1
        await lab.freeze("a")  # alive, but doing nothing from here
        try:
            cancelled = await at_b.post(f"/server/executions/{busy}/cancel")
            assert cancelled.status_code == 200, cancelled.text
            done = await until(at_b, taken, TERMINAL)
            shown = (done["status"], done["host_name"], done["device_id"])
            assert shown == ("completed", "host-1", "tv-1")
            row = (await lab.lab_requests())[taken]
            assert claimant_pid(row) == lab.pid("b")
            events = await at_b.get(f"/server/executions/{taken}/events")
            assert events.status_code == 200
            ids = event_ids(events.text)
            assert len(ids) >= 2
            assert "completed" in events.text
            rest = await at_b.get(
                f"/server/executions/{taken}/events", headers={"Last-Event-ID": ids[0]}
            )
            assert event_ids(rest.text) == ids[1:]
            junit = await at_b.get(f"/server/campaign/execution/{taken}/junit")
            assert junit.status_code == 200, junit.text
            assert "<testsuite" in junit.text
        finally:
            lab.thaw("a")
        assert (await until(at_a, busy, TERMINAL))["status"] == "cancelled"
        assert (await until(at_a, taken, TERMINAL))["status"] == "completed"
        for client in (at_a, at_b):  # the lab history, from the hosts' feeds, on either

            async def recorded(client: httpx.AsyncClient = client) -> bool:
                return await in_history(client, "host-1", row["host_execution_id"])

            await wait_for(recorded, f"the campaign in the history at {client.base_url}", 5)


async def test_a_replica_killed_mid_load_loses_nothing_and_runs_nothing_twice(
    lab: ReplicaLab,
) -> None:
    before = set(await lab.host_executions())
    accepted: dict[str, str] = {}  # lab id -> the replica that answered 202
    body = {"device_selector": {"model": "simtv-4k"}, "actions": QUICK}
    async with (
        httpx.AsyncClient(base_url=lab.url("a"), timeout=10) as at_a,
        httpx.AsyncClient(base_url=lab.url("b"), timeout=10) as at_b,
    ):

        async def submit(replica: str, client: httpx.AsyncClient, count: int) -> None:
            for _ in range(count):
                response = await client.post(ACTION, json=body)
                assert response.status_code == 202, response.text
                accepted[response.json()["execution_id"]] = replica

        await asyncio.gather(submit("a", at_a, 20), submit("b", at_b, 20))

        async def mid_load() -> list[str]:
            """Some ended, and a holds some (claimed or running): what it holds, then."""
            rows = await lab.lab_requests()
            ended = [i for i in accepted if rows[i]["state"] == "done"]
            held = [
                i
                for i in accepted
                if rows[i]["state"] in ("claimed", "running")
                and claimant_pid(rows[i]) == lab.pid("a")
            ]
            return held if len(ended) >= 4 else []

        await wait_for(mid_load, "a dispatching mid-load")  # killed holding some
        lab.replicas["a"].kill()
        await submit("b", at_b, 10)
        for execution_id in accepted:
            view = await until(at_b, execution_id, TERMINAL)
            assert view["status"] == "completed", view
    rows = {i: r for i, r in (await lab.lab_requests()).items() if i in accepted}
    assert len(rows) == len(accepted) == 50
    made = {e: h for e, h in (await lab.host_executions()).items() if e not in before}
    ran = [r["host_execution_id"] for r in rows.values()]
    # One host execution per lab request, and none that no request accounts for.
    assert len(set(ran)) == len(ran) == len(made)
    assert {(r["host_execution_id"], r["host_name"]) for r in rows.values()} == set(made.items())
    taken_over = [
        r for i, r in rows.items() if accepted[i] == "a" and claimant_pid(r) == lab.pid("b")
    ]
    assert taken_over  # a's requests, on the host registered through a, dispatched by b
