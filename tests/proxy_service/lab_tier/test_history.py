"""Lab-wide history: every finished execution of every host, read from the hosts' feeds."""

from pathlib import Path

from tests.conftest import fake
from tests.helpers import finished, start
from tests.proxy_service.lab import LabFactory
from tests.proxy_service.lab_tier.history import history, host_client, run

HOSTS = {"host-1": [fake("d1"), fake("d2")], "host-2": [fake("d1")]}
QUIET = {"health_interval_s": 3600, "feed_interval_s": 3600}  # rounds run when a test says


async def test_history_lists_every_host_newest_first_with_filters(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(HOSTS, database_url=database_url, **QUIET) as running:
        ids = [
            await run(running, "host-1", "d1", "smoke", "ok"),
            await run(running, "host-1", "d2", "smoke", "fail"),
            await run(running, "host-2", "d1", "zap", "broken"),
            await run(running, "host-1", "d1", "zap", "ok"),
        ]
        # Started on the host directly, not through the proxy: recorded all the same.
        async with host_client(running, "host-2") as host_2:
            body = {"device_id": "d1", "actions": [{"command": "ok"}]}
            direct = await start(host_2, "/host/action/executeBatch", body)
            await finished(host_2, direct)
        await running.proxy.lab_tier.feed.round()
        everything = await history(running.client, limit=2)
        assert [i["execution_id"] for i in everything] == [direct, *reversed(ids)]
        smoke_fail = everything[3]
        assert smoke_fail["host_name"] == "host-1"
        assert smoke_fail["device_id"] == "d2"
        assert (smoke_fail["kind"], smoke_fail["definition_id"]) == ("testcase", "smoke")
        assert (smoke_fail["status"], smoke_fail["success"]) == ("completed", False)
        assert smoke_fail["model"] == "fake"
        errored = everything[2]
        assert (errored["status"], errored["error_code"]) == ("error", "device_disconnected")

        async def ids_of(**where: object) -> list[str]:
            return [i["execution_id"] for i in await history(running.client, **where)]

        assert await ids_of(host_name="host-2") == [direct, ids[2]]
        assert await ids_of(host_name="host-1", device_id="d1") == [ids[3], ids[0]]
        assert await ids_of(testcase_id="smoke") == [ids[1], ids[0]]
        assert await ids_of(testcase_id="zap", success=True) == [ids[3]]
        assert await ids_of(status="error") == [ids[2]]
        assert await ids_of(kind="action") == [direct]
        assert await ids_of(model="other") == []
        created = everything[1]["created_at"]
        assert await ids_of(started_after=created) == [direct, ids[3]]
        assert await ids_of(started_before=created) == [ids[2], ids[1], ids[0]]


async def test_history_is_served_while_the_host_that_ran_it_is_offline(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(HOSTS, database_url=database_url, **QUIET) as running:
        execution_id = await run(running, "host-2", "d1", "smoke", "ok")
        await running.proxy.lab_tier.feed.round()
        running.links["host-2"].up = False
        await running.proxy_monitor_round()
        hosts = {
            h["host_name"]: h["status"] for h in (await running.client.get("/server/hosts")).json()
        }
        assert hosts["host-2"] == "offline"
        assert [i["execution_id"] for i in await history(running.client, host_name="host-2")] == [
            execution_id
        ]
        recorded = await running.client.get(f"/server/history/host-2/{execution_id}")
        assert recorded.status_code == 200
        assert recorded.json()["status"] == "completed"
        assert recorded.json()["result"]["testcase_id"] == "smoke"
        missing = await running.client.get("/server/history/host-2/no-such-execution")
        assert missing.status_code == 404
        assert missing.json()["error"] == "execution_not_found"


async def test_a_feed_resumed_after_a_proxy_restart_records_nothing_twice_and_misses_nothing(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(HOSTS, database_url=database_url, **QUIET) as first:
        before = [await run(first, "host-1", "d1", "smoke", "ok") for _ in range(3)]
        async with host_client(first, "host-1") as host_1:
            gated = await start(
                host_1,
                "/host/action/executeBatch",
                {"device_id": "d2", "actions": [{"command": "gate"}]},
            )
            await first.proxy.lab_tier.feed.round()  # sees the gated one running: pending
            assert len(await history(first.client)) == 3
            first.hosts["host-1"].devices.get("d2").driver.gate.set()  # type: ignore[attr-defined]
            await finished(host_1, gated)
            # Finished while no proxy runs: recorded by the next one.
            during = await start(
                host_1,
                "/host/action/executeBatch",
                {"device_id": "d1", "actions": [{"command": "ok"}]},
            )
            await finished(host_1, during)
    async with lab(HOSTS, database_url=database_url, **QUIET) as second:  # hosts restart too
        after = await run(second, "host-1", "d1", "smoke", "fail")
        await second.proxy.lab_tier.feed.round()
        await second.proxy.lab_tier.feed.round()  # a second round finds nothing new
        recorded = [i["execution_id"] for i in await history(second.client)]
        assert sorted(recorded) == sorted([*before, gated, during, after])
        assert len(recorded) == len(set(recorded))


async def test_a_host_whose_journal_starts_again_is_read_from_the_start(
    lab: LabFactory, database_url: str, tmp_path: Path
) -> None:
    async with lab(HOSTS, database_url=database_url, **QUIET) as first:
        old = [await run(first, "host-1", "d1", "smoke", "ok") for _ in range(3)]
        await first.proxy.lab_tier.feed.round()
    for journal in (tmp_path / "var").glob("host-1.sqlite3*"):
        journal.unlink()  # the host lost its journal: numbering starts at 1 again
    async with lab(HOSTS, database_url=database_url, **QUIET) as second:
        new = await run(second, "host-1", "d1", "smoke", "ok")
        await second.proxy.lab_tier.feed.round()
        recorded = [i["execution_id"] for i in await history(second.client, host_name="host-1")]
        assert recorded == [new, *reversed(old)]


async def test_stats_count_runs_and_pass_rate_per_testcase_and_device(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(HOSTS, database_url=database_url, **QUIET) as running:
        for host, device, testcase_id, command in [
            ("host-1", "d1", "smoke", "ok"),
            ("host-1", "d2", "smoke", "ok"),
            ("host-1", "d2", "smoke", "fail"),
            ("host-2", "d1", "smoke", "broken"),
            ("host-2", "d1", "zap", "ok"),
        ]:
            await run(running, host, device, testcase_id, command)
        await running.proxy.lab_tier.feed.round()
        by_testcase = await running.client.get("/server/history/stats", params={"bucket": "hour"})
        assert by_testcase.status_code == 200, by_testcase.text
        rows = {r["key"]: r for r in by_testcase.json()["rows"]}
        assert set(rows) == {"smoke", "zap"}  # one hour bucket each: the test runs in seconds
        smoke = rows["smoke"]
        assert (smoke["runs"], smoke["passed"], smoke["failed"], smoke["errors"]) == (4, 2, 1, 1)
        assert smoke["pass_rate"] == 2 / 3
        assert smoke["bucket_start"].endswith(":00:00Z")
        by_device = await running.client.get(
            "/server/history/stats", params={"group": "device", "bucket": "day"}
        )
        devices = {r["key"]: (r["runs"], r["pass_rate"]) for r in by_device.json()["rows"]}
        assert devices == {"host-1/d1": (1, 1.0), "host-1/d2": (2, 0.5), "host-2/d1": (2, 1.0)}
        narrowed = await running.client.get(
            "/server/history/stats", params={"testcase_id": "zap", "group": "device"}
        )
        assert [r["key"] for r in narrowed.json()["rows"]] == ["host-2/d1"]


async def test_bad_history_queries_are_refused_naming_the_parameter(lab: LabFactory) -> None:
    async with lab(HOSTS, **QUIET) as running:
        bad: list[tuple[dict[str, str | int], str]] = [
            ({"cursor": "nonsense"}, "cursor"),
            ({"started_after": "2026-05-01T12:00:00"}, "started_after"),
            ({"status": "finished"}, "status"),
            ({"limit": 0}, "limit"),
        ]
        for params, name in bad:
            refused = await running.client.get("/server/history", params=params)
            assert refused.status_code == 422, params
            assert refused.json()["details"][0]["loc"] == ["query", name]
