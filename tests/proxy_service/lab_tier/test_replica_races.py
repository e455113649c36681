"""Replicas on one PostgreSQL racing on the same rows: in process, each against a real server.

Two replicas read every host's feed (where dispatched requests end), take starts with the
same Idempotency-Key, and learn of each other's changes through notices.
"""

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy.engine import make_url

from proxy_service.lab import HostRow, open_lab_store, queue_rows
from tests.helpers import TERMINAL
from tests.postgres import PostgresServer
from tests.proxy_service.lab import LabFactory
from tests.proxy_service.lab_tier.replica_lab import wait_for
from tests.proxy_service.lab_tier.second_replica import second_replica
from tests.proxy_service.lab_tier.test_dispatch import START, device, gate, lab_view, until

TWO = {"host-1": [device("d1", "m"), device("d2", "m")]}


def store_of(database_url: str) -> Any:
    return open_lab_store(make_url(database_url).set(drivername="postgresql+psycopg"))


async def test_an_end_two_replicas_see_is_recorded_and_counted_once(
    lab: LabFactory, postgres: PostgresServer
) -> None:
    body = {
        "device_selector": {"model": "m"},
        "actions": [{"command": "gate"}, {"command": "broken"}],
        "retry_on_infra_failure": True,
    }
    async with (
        lab(TWO, database_url=postgres.new_database(), quarantine_after_errors=2) as a,
        second_replica(a) as b,
    ):
        started = await a.client.post(START, json=body)
        assert started.status_code == 202, started.text
        request = started.json()["execution_id"]
        first = await until(a.client, request, {"running"})

        def long_polls_feed(calls: list[httpx.Request]) -> bool:
            feed = "/host/executions/feed"
            return any(c.url.path == feed and "wait" in c.url.params for c in calls)

        async def both_read() -> bool:
            return long_polls_feed(a.links["host-1"].calls) and long_polls_feed(
                b.links["host-1"].calls
            )

        await wait_for(both_read, "both replicas long-poll the host's feed", 5)
        gate(a, "host-1", first["device_id"]).set()  # it ends in error: both read the end
        again = await until(b.client, request, {"running"})  # retried, not ended
        assert again["device_id"] != first["device_id"]
        listed = await b.client.get("/server/lab/devices")
        health = {d["device_id"]: d for d in listed.json()}[first["device_id"]]
        assert (health["errors_in_row"], health["state"]) == (1, "idle")  # counted once
        gate(a, "host-1", again["device_id"]).set()
        ended = await until(a.client, request, TERMINAL)
        assert (ended["status"], ended["device_id"]) == ("error", again["device_id"])


async def test_two_replicas_given_one_idempotency_key_at_once_make_one_request(
    postgres: PostgresServer,
) -> None:
    url = postgres.new_database()
    store = store_of(url)
    try:
        now = time.time()

        def values() -> dict[str, Any]:
            return {
                "id": str(uuid.uuid4()),
                "kind": "action",
                "path": "/action/executeBatch",
                "body": {"actions": [{"command": "ok"}]},
                "selector": {"model": "m"},
                "priority": 0,
                "host_name": None,
                "device_id": None,
                "created_at": now,
                "queue_deadline": now + 60,
                "retry_on_infra_failure": False,
                "idempotency_key": "same-key",
                "fingerprint": "f",
            }

        with store.engine.connect() as connection:  # replica one, its insert not committed
            transaction = connection.begin()
            made = queue_rows.add(connection, values())
            other = asyncio.create_task(store.add_request(values()))  # replica two, meanwhile

            async def other_waits() -> bool:
                async with await psycopg.AsyncConnection.connect(url) as watcher:
                    waiting = await watcher.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    )
                    found = await waiting.fetchone()
                    return found is not None and found[0] > 0

            await wait_for(other_waits, "the second insert waits for the first", 5)
            transaction.commit()
        assert (await other).id == made.id
    finally:
        await store.close()


async def test_a_request_another_replica_queued_is_dispatched_at_once(
    lab: LabFactory, postgres: PostgresServer
) -> None:
    url = postgres.new_database()
    # Its own dispatcher looks every minute: only the other replica's notice can wake it.
    async with lab(TWO, database_url=url, dispatch_interval_s=60) as running:
        replicas = running.proxy.lab_tier.replicas
        assert replicas is not None

        async def listening() -> bool:
            return replicas.listener.listening

        await wait_for(listening, "the replica listens", 5)
        other = store_of(url)
        try:
            now = time.time()
            row = await other.add_request(
                {
                    "id": str(uuid.uuid4()),
                    "kind": "action",
                    "path": "/action/executeBatch",
                    "body": {"actions": [{"command": "ok"}]},
                    "selector": {"model": "m", "tags": [], "device_ids": []},
                    "priority": 0,
                    "host_name": None,
                    "device_id": None,
                    "created_at": now,
                    "queue_deadline": now + 60,
                    "retry_on_infra_failure": False,
                    "idempotency_key": None,
                    "fingerprint": None,
                }
            )
        finally:
            await other.close()
        give_up = time.monotonic() + 5
        while (view := await lab_view(running.client, row.id, wait=1))["status"] not in TERMINAL:
            assert time.monotonic() < give_up, view
        assert view["status"] == "completed"


async def test_a_replica_whose_listening_connection_drops_listens_again_and_catches_up(
    lab: LabFactory, postgres: PostgresServer
) -> None:
    url = postgres.new_database()
    async with lab(TWO, database_url=url) as running:
        replicas = running.proxy.lab_tier.replicas
        assert replicas is not None

        async def listening() -> bool:
            return replicas.listener.listening

        await wait_for(listening, "the replica listens", 5)
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name LIKE 'device-orchestrator-proxy:% listener'"
            )
        other = store_of(url)
        try:  # registered through another replica while this one may not be listening
            await other.save_host(
                HostRow(name="host-9", url="http://10.0.0.9:8101", source="registered")
            )
        finally:
            await other.close()

        async def known() -> bool:
            return "host-9" in running.proxy.registry

        await wait_for(known, "the host registered meanwhile", 5)


class HeldStart(httpx.AsyncBaseTransport):
    """The network to a host, holding the first start request until the test lets it go."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.release = asyncio.Event()
        self._held = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and not self._held:
            self._held = True
            await self.release.wait()
        return await self.inner.handle_async_request(request)


async def test_a_late_start_of_an_attempt_another_replica_gave_up_is_cancelled(
    lab: LabFactory, postgres: PostgresServer, tmp_path: Path
) -> None:
    lagging = tmp_path / "lagging.yaml"  # a replica whose config does not have the host yet
    lagging.write_text("hosts: []\n")
    one = {"host-1": [device("d1", "m")]}
    async with lab(one, database_url=postgres.new_database()) as a:
        direct = a.links["host-1"].inner
        assert direct is not None
        held = HeldStart(direct)
        a.links["host-1"].inner = held
        async with second_replica(a, config_path=lagging):
            body = {"device_selector": {"model": "m"}, "actions": [{"command": "gate"}]}
            started = await a.client.post(START, json=body)
            assert started.status_code == 202, started.text
            request = started.json()["execution_id"]

            async def retried() -> bool:  # the lagging replica gave the claim up; a again
                row = await a.proxy.lab.lab_request(request)
                return row is not None and (row.attempts, row.state) == (2, "running")

            await wait_for(retried, "the request dispatched again", 10)
            held.release.set()  # the first start reaches the host after all
            async with httpx.AsyncClient(transport=direct, base_url="http://host-1") as host:

                async def late_one_cancelled() -> list[dict[str, Any]]:
                    items: list[dict[str, Any]] = (await host.get("/host/executions")).json()[
                        "items"
                    ]
                    return items if any(i["status"] == "cancelled" for i in items) else []

                made = await wait_for(late_one_cancelled, "the late start cancelled", 5)
                assert len(made) == 2
                gate(a, "host-1", "d1").set()
                done = await until(a.client, request, TERMINAL)
                assert done["status"] == "completed"
                late = next(i for i in made if i["status"] == "cancelled")
                assert late["started_at"] is None  # it never drove the device
