"""Campaigns: items in order on one device, failures, chaining, timeouts, JUnit XML."""

import asyncio
import itertools
import xml.etree.ElementTree as ET
from typing import Any

from tests.conftest import LIBRARY, HostFactory, RunningHost, fake
from tests.helpers import finished, start

RUN = "/host/campaign/execute"


def _block_testcase(testcase_id: str, *nodes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A testcase that runs `nodes` in a row; any failure ends it as failed."""
    chain = ["start", *(n["id"] for n in nodes), "done"]
    return {
        "id": testcase_id,
        "name": testcase_id,
        "graph": {
            "nodes": [{"id": "start", "type": "start"}, *nodes, {"id": "done", "type": "success"}],
            "edges": [{"source": a, "target": b} for a, b in itertools.pairwise(chain)],
        },
        **extra,
    }


FAILING = _block_testcase(
    "always_fails",
    {
        "id": "check",
        "type": "block",
        "block": "evaluate_condition",
        "params": {"left": 1, "operator": "==", "right": 2},
    },
)
PRODUCER = _block_testcase(
    "producer",
    {
        "id": "make",
        "type": "block",
        "block": "set_variable",
        "params": {"name": "token", "value": 41},
    },
    outputs=["token"],
)
CONSUMER = _block_testcase(
    "consumer",
    {
        "id": "use",
        "type": "block",
        "block": "set_variable",
        "params": {"name": "seen", "value": "{given} and {label}"},
    },
    inputs=[{"name": "given", "type": "integer", "required": True}, {"name": "label"}],
    outputs=["seen", "given"],
)


async def run(host: RunningHost, **body: Any) -> dict[str, Any]:
    execution_id = await start(host.client, RUN, {"device_id": "tv-1", **body})
    view = await finished(host.client, execution_id, seconds=30)
    assert view["status"] == "completed", view
    return view


def campaign(*items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": "inline", "name": "Inline campaign", "items": list(items), **extra}


async def test_example_campaign_runs_every_item_and_chains(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        view = await run(host, campaign_id="nightly_smoke")
        result = view["result"]
        assert result["success"] is True, result
        assert (result["total"], result["passed"], result["failed"]) == (5, 5, 0)
        assert [i["name"] for i in result["items"]] == [
            "open_guide",
            "check_resolution",
            "zap_channels",
            "record_programme",
            "resolution_again",
        ]
        assert result["items"][4]["inputs"] == {"resolution": "2160p"}
        assert view["progress"] == 100
        assert [s["state"] for s in view["steps"]] == ["passed"] * 5


async def test_failing_item_stops_the_campaign(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        body = campaign({"testcase": FAILING}, {"testcase_id": "open_guide"})
        view = await run(host, campaign=body)
        result = view["result"]
        assert result["success"] is False
        assert [i["status"] for i in result["items"]] == ["failed", "skipped"]
        assert [s["state"] for s in view["steps"]] == ["failed", "skipped"]
        assert (result["failed"], result["skipped"]) == (1, 1)


async def test_failing_item_with_continue_on_failure(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        body = campaign({"testcase": FAILING}, {"testcase_id": "open_guide"})
        view = await run(host, campaign=body, continue_on_failure=True)
        result = view["result"]
        assert result["success"] is False
        assert [i["status"] for i in result["items"]] == ["failed", "passed"]
        assert [s["state"] for s in view["steps"]] == ["failed", "passed"]


async def test_outputs_chain_into_later_inputs(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        body = campaign(
            {"testcase": PRODUCER},
            {
                "name": "first_use",
                "testcase": CONSUMER,
                "inputs": {"given": "${previous.outputs.token}", "label": "one"},
            },
            {
                "name": "second_use",
                "testcase": CONSUMER,
                "inputs": {
                    "given": "${items.producer.outputs.token}",
                    "label": "after ${items.first_use.outputs.seen}",
                },
            },
        )
        result = (await run(host, campaign=body))["result"]
        assert result["success"] is True, result
        first, second = result["items"][1], result["items"][2]
        assert first["inputs"] == {"given": 41, "label": "one"}
        assert first["outputs"] == {"seen": "41 and one", "given": 41}
        assert second["outputs"]["seen"] == "41 and after 41 and one"


async def test_item_timeout_stops_only_that_item(host_factory: HostFactory) -> None:
    nap = _block_testcase(
        "nap", {"id": "nap", "type": "block", "block": "sleep", "params": {"seconds": 30}}
    )
    async with host_factory(library_path=LIBRARY) as host:
        body = campaign(
            {"testcase": nap, "timeout_s": 0.2},
            {"testcase_id": "open_guide"},
            continue_on_failure=True,
        )
        result = (await run(host, campaign=body))["result"]
        assert [i["status"] for i in result["items"]] == ["timed_out", "passed"]
        assert result["errors"] == 1
        assert "item timeout of 0.2 s" in result["items"][0]["message"]


async def test_bad_chaining_and_unknown_testcase_are_422(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        body = campaign(
            {"testcase_id": "no_such_testcase"},
            {
                "testcase_id": "check_resolution",
                "inputs": {"resolution": "${items.later.outputs.x}"},
            },
            {"name": "later", "testcase_id": "open_guide"},
        )
        response = await host.client.post(RUN, json={"device_id": "tv-1", "campaign": body})
        assert response.status_code == 422
        details = {tuple(d["loc"]): d["msg"] for d in response.json()["details"]}
        assert (
            "no earlier item 'later'"
            in details[("body", "campaign", "items", 1, "inputs", "resolution")]
        )
        assert (
            "no testcase 'no_such_testcase'"
            in details[("body", "campaign", "items", 0, "testcase_id")]
        )
        missing = await host.client.post(RUN, json={"device_id": "tv-1", "campaign_id": "nope"})
        assert missing.status_code == 404
        assert missing.json()["error"] == "campaign_not_found"


async def test_junit_report_parses_back(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        body = campaign(
            {"testcase_id": "open_guide"},
            {"testcase": FAILING},
            {"name": "guide_again", "testcase_id": "open_guide"},
        )
        execution_id = await start(host.client, RUN, {"device_id": "tv-1", "campaign": body})
        await finished(host.client, execution_id, seconds=30)
        response = await host.client.get(f"/host/campaign/execution/{execution_id}/junit")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/xml")
        root = ET.fromstring(response.content)  # noqa: S314 - our own report, not untrusted input
        suite = root.find("testsuite")
        assert suite is not None
        assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == ["open_guide", "always_fails", "guide_again"]
        failure = cases[1].find("failure")
        assert failure is not None
        assert "check failed" in (failure.get("message") or "")
        assert cases[2].find("skipped") is not None
        assert cases[0].find("failure") is None
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert props["execution_id"] == execution_id


async def test_junit_of_other_kinds_or_unfinished_is_refused(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        nav = await start(
            host.client,
            "/host/navigation/execute/simtv",
            {"device_id": "tv-1", "target_node_id": "guide"},
        )
        await finished(host.client, nav)
        response = await host.client.get(f"/host/campaign/execution/{nav}/junit")
        assert response.status_code == 404
        slow = _block_testcase(
            "slow", {"id": "nap", "type": "block", "block": "sleep", "params": {"seconds": 30}}
        )
        running = await start(
            host.client, RUN, {"device_id": "tv-1", "campaign": campaign({"testcase": slow})}
        )
        response = await host.client.get(f"/host/campaign/execution/{running}/junit")
        assert response.status_code == 409
        await host.client.post(f"/host/executions/{running}/cancel")
        assert (await finished(host.client, running))["status"] == "cancelled"


async def test_missing_output_makes_the_consuming_item_an_error(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        body = campaign(
            {"testcase": PRODUCER},
            {"testcase": CONSUMER, "inputs": {"given": "${previous.outputs.nothing}"}},
            continue_on_failure=True,
        )
        result = (await run(host, campaign=body))["result"]
        assert [i["status"] for i in result["items"]] == ["passed", "error"]
        assert "has no output 'nothing'; has ['token']" in result["items"][1]["message"]
        assert result["success"] is False


async def test_live_status_names_the_item_and_its_running_node(host_factory: HostFactory) -> None:
    gated = _block_testcase(
        "gated",
        {
            "id": "wait",
            "type": "action",
            "label": "Wait at the gate",
            "actions": [{"command": "gate"}],
        },
    )
    quick = _block_testcase("quick", {"id": "go", "type": "action", "actions": [{"command": "ok"}]})
    async with host_factory([fake("d1")]) as host:
        body = {"device_id": "d1", "campaign": campaign({"testcase": quick}, {"testcase": gated})}
        execution_id = await start(host.client, RUN, body)
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)  # quick's ok
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)  # the gate
        view = (await host.client.get(f"/host/executions/{execution_id}")).json()
        assert view["message"] == "item 2/2 gated: Wait at the gate"
        assert view["progress"] == 50
        assert view["current_step_id"] == "gated"
        assert [s["state"] for s in view["steps"]] == ["passed", "running"]
        # The campaign holds its device between and during items: others queue.
        other = await start(
            host.client,
            "/host/action/executeBatch",
            {"device_id": "d1", "actions": [{"command": "ok"}]},
        )
        queued = (await host.client.get(f"/host/executions/{other}")).json()
        assert (queued["status"], queued["queue_position"]) == ("queued", 1)
        host.fake("d1").gate.set()
        view = await finished(host.client, execution_id)
        assert view["result"]["passed"] == 2
        assert (await finished(host.client, other))["status"] == "completed"
