"""The host's feed: finished executions in creation order past a cursor, the rest by number."""

import asyncio
from pathlib import Path

from tests.conftest import HostFactory, fake
from tests.helpers import finished, start, wait_status

RUN = "/host/action/executeBatch"


async def test_the_feed_lists_finished_executions_in_creation_order(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1"), fake("d2")]) as host:
        first = await start(host.client, RUN, {"device_id": "d1", "actions": [{"command": "ok"}]})
        gated = await start(host.client, RUN, {"device_id": "d2", "actions": [{"command": "gate"}]})
        third = await start(host.client, RUN, {"device_id": "d1", "actions": [{"command": "fail"}]})
        await finished(host.client, third)
        await wait_status(host.client, gated, {"running"})
        feed = (await host.client.get("/host/executions/feed", params={"after": 0})).json()
        assert [e["view"]["execution_id"] for e in feed["items"]] == [first, third]
        assert [e["execution_no"] for e in feed["items"]] == [1, 3]
        assert feed["items"][0]["model"] == "fake"
        assert feed["unfinished"] == [2]
        assert (feed["next_after"], feed["newest"]) == (3, 3)

        page = await host.client.get("/host/executions/feed", params={"after": 1, "limit": 1})
        assert page.json()["items"] == []
        assert page.json()["unfinished"] == [2]
        assert page.json()["next_after"] == 2
        host.fake("d2").gate.set()
        await finished(host.client, gated)
        by_number = await host.client.get("/host/executions/feed", params={"numbers": [2, 9]})
        assert [e["view"]["execution_id"] for e in by_number.json()["items"]] == [gated]
        assert by_number.json()["unfinished"] == []


async def test_a_waiting_reading_answers_when_an_execution_ends_not_when_one_starts(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1"), fake("d2")]) as host:
        body = {"device_id": "d1", "actions": [{"command": "gate"}]}
        keyed = await host.client.post(RUN, json=body, headers={"Idempotency-Key": "lab-x-1"})
        gated = keyed.json()["execution_id"]
        await wait_status(host.client, gated, {"running"})
        seen = (await host.client.get("/host/executions/feed", params={"after": 0})).json()
        assert (seen["unfinished"], seen["next_after"]) == ([1], 1)
        # Both at once: the one seen running, and what came after it.
        query: dict[str, int | list[int]] = {"numbers": [1], "after": 1, "wait": 30}
        poll = asyncio.create_task(host.client.get("/host/executions/feed", params=query))
        other = await start(host.client, RUN, {"device_id": "d2", "actions": [{"command": "gate"}]})
        await wait_status(host.client, other, {"running"})
        assert not poll.done()  # a start, not an end: it waits on
        host.fake("d1").gate.set()
        answer = (await asyncio.wait_for(poll, 5)).json()
        assert [e["view"]["execution_id"] for e in answer["items"]] == [gated]
        assert answer["items"][0]["idempotency_key"] == "lab-x-1"
        assert (answer["unfinished"], answer["next_after"]) == ([2], 2)
        host.fake("d2").gate.set()
        await finished(host.client, other)


async def test_the_feed_names_what_ran(host_factory: HostFactory, tmp_path: Path) -> None:
    async with host_factory([fake("d1")]) as host:
        graph = {
            "nodes": [
                {"id": "start", "type": "start"},
                {"id": "act", "type": "action", "actions": [{"command": "ok"}]},
                {"id": "passed", "type": "success"},
            ],
            "edges": [{"source": "start", "target": "act"}, {"source": "act", "target": "passed"}],
        }
        body = {"device_id": "d1", "testcase": {"id": "smoke", "name": "Smoke", "graph": graph}}
        await finished(host.client, await start(host.client, "/host/testcase/execute", body))
        feed = (await host.client.get("/host/executions/feed")).json()
        assert feed["items"][0]["definition_id"] == "smoke"


async def test_numbers_are_never_given_twice_even_once_every_execution_was_evicted(
    host_factory: HostFactory,
) -> None:
    """A reader's cursor stays valid: after retention emptied the journal and the host
    restarted, a new execution is past every number given before, not number 1 again."""
    ok = {"device_id": "d1", "actions": [{"command": "ok"}]}
    async with host_factory([fake("d1")]) as host:
        for _ in range(3):
            await finished(host.client, await start(host.client, RUN, ok))
        cursor = (await host.client.get("/host/executions/feed")).json()["next_after"]
    async with host_factory([fake("d1")], retention_max_age_s=0.001) as host:
        assert (await host.client.get("/host/executions")).json()["total"] == 0
    async with host_factory([fake("d1")]) as host:
        new = await start(host.client, RUN, ok)
        await finished(host.client, new)
        feed = (await host.client.get("/host/executions/feed", params={"after": cursor})).json()
        assert [e["view"]["execution_id"] for e in feed["items"]] == [new]
        assert feed["items"][0]["execution_no"] == cursor + 1


async def test_a_host_without_journal_offers_no_feed(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")], journal="none") as host:
        refused = await host.client.get("/host/executions/feed")
        assert refused.status_code == 409
        assert refused.json()["error"] == "no_journal"


async def test_bad_feed_queries_are_refused_naming_the_parameter(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        refused = await host.client.get("/host/executions/feed", params={"after": -1})
        assert refused.status_code == 422
        assert refused.json()["details"][0]["loc"] == ["query", "after"]
        for wait in (-1, 61):  # a long-poll past the contract's bound is refused, not held
            refused = await host.client.get("/host/executions/feed", params={"wait": wait})
            assert refused.status_code == 422
            assert refused.json()["details"][0]["loc"] == ["query", "wait"]
