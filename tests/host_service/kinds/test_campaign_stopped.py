"""A stopped campaign keeps what it did: items done, the one stopped, the rest not run."""

import asyncio
import itertools
import xml.etree.ElementTree as ET
from typing import Any

from tests.conftest import HostFactory, fake
from tests.helpers import finished, start

RUN = "/host/campaign/execute"


def _testcase(testcase_id: str, command: str) -> dict[str, Any]:
    """One action node running `command` on the fake driver."""
    nodes: list[dict[str, Any]] = [
        {"id": "start", "type": "start"},
        {"id": command, "type": "action", "actions": [{"command": command}]},
        {"id": "done", "type": "success"},
    ]
    ids = [n["id"] for n in nodes]
    return {
        "id": testcase_id,
        "name": testcase_id,
        "graph": {
            "nodes": nodes,
            "edges": [{"source": a, "target": b} for a, b in itertools.pairwise(ids)],
        },
    }


QUICK = _testcase("quick", "ok")
GATED = _testcase("gated", "gate")  # waits, cooperatively, until the test opens the gate
CAMPAIGN = {
    "id": "three",
    "name": "Three items",
    "items": [
        {"testcase": QUICK},
        {"testcase": GATED},
        {"name": "quick_again", "testcase": QUICK},
    ],
}


def junit(body: bytes) -> tuple[dict[str, str | None], list[ET.Element]]:
    root = ET.fromstring(body)  # noqa: S314 - our own report, not untrusted input
    suite = root.find("testsuite")
    assert suite is not None
    counts = {name: suite.get(name) for name in ("tests", "failures", "errors", "skipped")}
    return counts, suite.findall("testcase")


async def test_a_cancelled_campaign_keeps_its_partial_result_and_its_junit(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(host.client, RUN, {"device_id": "d1", "campaign": CAMPAIGN})
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)  # quick's ok
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)  # the gate
        cancel = await host.client.post(f"/host/executions/{execution_id}/cancel")
        assert cancel.status_code == 200, cancel.text
        view = await finished(host.client, execution_id)
        events = await host.client.get(
            f"/host/executions/{execution_id}/events", headers={"accept": "application/json"}
        )
        report = await host.client.get(f"/host/campaign/execution/{execution_id}/junit")

    assert view["status"] == "cancelled"
    result = view["result"]
    assert result["success"] is False
    assert [i["status"] for i in result["items"]] == ["passed", "cancelled", "skipped"]
    assert (result["total"], result["passed"], result["errors"], result["skipped"]) == (3, 1, 1, 1)
    stopped = result["items"][1]
    assert "cancelled" in stopped["message"]
    assert [b["node_id"] for b in stopped["result"]["blocks"]] == ["gate"]  # where it stopped
    assert stopped["result"]["blocks"][0]["success"] is False
    assert "not run" in result["items"][2]["message"]
    assert [s["state"] for s in view["steps"]] == ["passed", "cancelled", "skipped"]
    # Clients following the events get the same result with the terminal status.
    assert events.json()["events"][-1]["result"] == result

    assert report.status_code == 200, report.text
    counts, cases = junit(report.content)
    assert counts == {"tests": "3", "failures": "0", "errors": "1", "skipped": "1"}
    error = cases[1].find("error")
    assert error is not None
    assert error.get("type") == "cancelled"
    assert cases[2].find("skipped") is not None
    assert cases[0].find("error") is None
    assert cases[0].find("skipped") is None


async def test_a_timed_out_campaign_keeps_its_partial_result_across_a_restart(
    host_factory: HostFactory,
) -> None:
    body = {"device_id": "d1", "campaign": CAMPAIGN, "timeout_s": 1}
    async with host_factory([fake("d1")]) as host:
        execution_id = await start(host.client, RUN, body)
        view = await finished(host.client, execution_id)

    assert view["status"] == "timed_out"
    assert view["error"]["code"] == "deadline_exceeded"
    items = view["result"]["items"]
    assert [i["status"] for i in items] == ["passed", "timed_out", "skipped"]
    assert "the campaign reached its deadline" in items[1]["message"]  # not the item's timeout

    async with host_factory([fake("d1")]) as host:  # the same journal
        again = (await host.client.get(f"/host/executions/{execution_id}")).json()
        report = await host.client.get(f"/host/campaign/execution/{execution_id}/junit")
    assert again["result"] == view["result"]
    assert report.status_code == 200, report.text
    counts, cases = junit(report.content)
    assert counts == {"tests": "3", "failures": "0", "errors": "1", "skipped": "1"}
    error = cases[1].find("error")
    assert error is not None
    assert error.get("type") == "timed_out"


async def test_a_campaign_whose_device_hangs_keeps_what_it_did_when_it_is_stopped(
    host_factory: HostFactory,
) -> None:
    """A driver call that ignores the stop: the campaign still ends with its items so far."""
    hung = {**CAMPAIGN, "items": [{"testcase": QUICK}, {"testcase": _testcase("hung", "hang")},
                                  {"name": "quick_again", "testcase": QUICK}]}  # fmt: skip
    async with host_factory([fake("d1")], stop_grace_s=0.2) as host:
        execution_id = await start(host.client, RUN, {"device_id": "d1", "campaign": hung})
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)  # quick's ok
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)  # the hang
        await host.client.post(f"/host/executions/{execution_id}/cancel")
        view = await finished(host.client, execution_id)
        report = await host.client.get(f"/host/campaign/execution/{execution_id}/junit")
        device = (await host.client.get("/host/devices/d1")).json()
        host.fake("d1").hang_released.set()  # the call returns at last; nothing changes

    assert view["status"] == "cancelled"
    assert device["state"] == "stuck"
    items = view["result"]["items"]
    assert [i["status"] for i in items] == ["passed", "cancelled", "skipped"]
    assert "did not return" in items[1]["message"]
    assert "not run" in items[2]["message"]
    assert report.status_code == 200, report.text
    counts, _ = junit(report.content)
    assert counts == {"tests": "3", "failures": "0", "errors": "1", "skipped": "1"}
