"""Matrix runs: one child per matching device, summed in a parent that any proxy answers."""

import asyncio
import itertools
import re
import time
import xml.etree.ElementTree as ET
from typing import Any

from tests.helpers import TERMINAL
from tests.proxy_service.lab import Lab, LabFactory
from tests.proxy_service.lab_tier.test_dispatch import device, gate, lab_start, lab_view, until

# Three devices of model m on two hosts, and one that does not match.
HOSTS = {
    "host-1": [device("d1", "m"), device("d2", "m"), device("d3", "other")],
    "host-2": [device("d1", "m")],
}
MATCHING = {("host-1", "d1"), ("host-1", "d2"), ("host-2", "d1")}


def inline_testcase(*nodes: dict[str, Any]) -> dict[str, Any]:
    """An inline testcase running `nodes` in a row, then passing."""
    graph = [{"id": "start", "type": "start"}, *nodes, {"id": "passed", "type": "success"}]
    ids = [n["id"] for n in graph]
    return {
        "testcase": {
            "id": "matrix_check",
            "name": "Matrix check",
            "graph": {
                "nodes": graph,
                "edges": [{"source": a, "target": b} for a, b in itertools.pairwise(ids)],
            },
        }
    }


def act(command: str) -> dict[str, Any]:
    return {"id": command, "type": "action", "actions": [{"command": command}]}


FLAG = {
    "id": "flag",
    "type": "verification",
    "verifications": [{"type": "flag", "command": "wait_for_flag", "timeout_s": 0.05}],
}


async def matrix_start(lab: Lab, path: str, body: dict[str, Any], **headers: str) -> str:
    started = await lab.client.post(
        path,
        json={"device_selector": {"model": "m"}, "all_matching": True, **body},
        headers=headers,
    )
    assert started.status_code == 202, started.text
    assert started.json()["status_url"] == (
        f"/server/{path.split('/')[2]}/execution/{started.json()['execution_id']}/status"
    )
    execution_id: str = started.json()["execution_id"]
    return execution_id


async def children_until(lab: Lab, parent_id: str, wanted: dict[tuple[str, str], str]) -> Any:
    """The parent's view once its children on those devices show those statuses (5 s at most)."""
    give_up = time.monotonic() + 5
    while True:
        view = await lab_view(lab.client, parent_id)
        shown = {(c["host_name"], c["device_id"]): c["status"] for c in view["children"]}
        if all(shown[key] == status for key, status in wanted.items()):
            return view
        assert time.monotonic() < give_up, shown
        await asyncio.sleep(0.01)


def parsed(report: str) -> ET.Element:
    root = ET.fromstring(report)  # noqa: S314 - the proxy's own report, not untrusted input
    assert root.tag == "testsuites"
    return root


def suites(report: str) -> list[ET.Element]:
    return parsed(report).findall("testsuite")


async def test_a_matrix_runs_once_on_each_matching_device_and_the_parent_sums_them(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(HOSTS, database_url=database_url) as running:
        parent_id = await matrix_start(
            running, "/server/testcase/execute", inline_testcase(act("gate"), act("ok"))
        )
        await until(running.client, parent_id, {"running"})
        parent = await children_until(running, parent_id, dict.fromkeys(MATCHING, "running"))
        for child in parent["children"]:  # each child is a lab execution of its own
            shown = await lab_view(running.client, child["execution_id"])
            assert (shown["host_name"], shown["device_id"], shown["status"]) == (
                child["host_name"],
                child["device_id"],
                "running",
            )
        progress = [c["progress"] for c in parent["children"]]
        assert parent["progress"] == round(sum(progress) / 3)
        assert (parent["host_name"], parent["device_id"], parent["result"]) == ("", "", None)
        early = await running.client.get(f"/server/testcase/execution/{parent_id}/junit")
        assert early.status_code == 409  # made once every device has ended
        for host, device_id in MATCHING:
            gate(running, host, device_id).set()
        done = await until(running.client, parent_id, TERMINAL)
        assert (done["status"], done["progress"]) == ("completed", 100)
        assert done["result"] == {
            "kind": "matrix",
            "success": True,
            "total": 3,
            "passed": 3,
            "failed": 0,
            "errors": 0,
            "other": 0,
        }
        assert done["started_at"] is not None
        assert done["finished_at"] is not None
        assert {(c["status"], c["success"]) for c in done["children"]} == {("completed", True)}
        report = await running.client.get(f"/server/testcase/execution/{parent_id}/junit")
        assert report.status_code == 200, report.text
        found = suites(report.text)
        assert len(found) == 3
        assert {s.get("hostname") for s in found} == {"host-1", "host-2"}
        assert {s.get("name") for s in found} == {f"matrix_check on {h}/{d}" for h, d in MATCHING}
        assert parsed(report.text).get("tests") == "3"
        assert parsed(report.text).get("failures") == "0"
        events = await running.client.get(
            f"/server/executions/{parent_id}/events", headers={"Accept": "application/json"}
        )
        assert [(e["seq"], e["status"]) for e in events.json()["events"]] == [
            (1, "queued"),
            (2, "running"),
            (3, "completed"),
        ]
        assert events.json()["events"][2]["result"]["passed"] == 3
        assert events.json()["finished"] is True
    async with lab({}, database_url=database_url) as restarted:  # no hosts: from the store
        again = await lab_view(restarted.client, parent_id)
        assert (again["status"], again["children"]) == ("completed", done["children"])
        assert again["finished_at"] == done["finished_at"]
        report = await restarted.client.get(f"/server/testcase/execution/{parent_id}/junit")
        assert len(suites(report.text)) == 3


async def test_one_failing_child_fails_the_parent_and_its_campaign_suite(
    lab: LabFactory, database_url: str
) -> None:
    async with lab(HOSTS, database_url=database_url) as running:
        for host, device_id in MATCHING - {("host-2", "d1")}:
            running.hosts[host].devices.get(device_id).driver.flag = True  # type: ignore[attr-defined]
        item = {"name": "flag_set", **inline_testcase(FLAG)}
        campaign = {"id": "matrix_campaign", "name": "Matrix campaign", "items": [item]}
        parent_id = await matrix_start(running, "/server/campaign/execute", {"campaign": campaign})
        done = await until(running.client, parent_id, TERMINAL)
        assert done["status"] == "completed"  # a failed test, not a tooling fault
        assert done["result"]["success"] is False
        assert (done["result"]["passed"], done["result"]["failed"]) == (2, 1)
        failed = [c for c in done["children"] if c["success"] is False]
        assert [(c["host_name"], c["device_id"]) for c in failed] == [("host-2", "d1")]
        report = await running.client.get(f"/server/campaign/execution/{parent_id}/junit")
        assert report.status_code == 200, report.text
        found = {s.get("name"): s for s in suites(report.text)}
        assert set(found) == {f"Matrix campaign on {h}/{d}" for h, d in MATCHING}
        assert found["Matrix campaign on host-2/d1"].get("failures") == "1"
        assert found["Matrix campaign on host-1/d1"].get("failures") == "0"
        assert parsed(report.text).get("failures") == "1"
        wrong_kind = await running.client.get(f"/server/testcase/execution/{parent_id}/junit")
        assert wrong_kind.status_code == 404
        events = f"/server/executions/{parent_id}/events"
        stream = await running.client.get(events)
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert re.findall(r"^id: (\d+)", stream.text, re.MULTILINE) == ["1", "2", "3"]
        assert re.findall(r"^event: (\w+)", stream.text, re.MULTILINE) == ["status"] * 3
        resumed = await running.client.get(events, headers={"Last-Event-ID": "2"})
        assert re.findall(r"^id: (\d+)", resumed.text, re.MULTILINE) == ["3"]
        assert '"success":false' in resumed.text
        over = await running.client.get(events, headers={"Last-Event-ID": "3"})
        assert over.status_code == 204


async def test_cancelling_the_parent_cancels_every_child(lab: LabFactory) -> None:
    async with lab(HOSTS) as running:
        busy = await lab_start(running, {"host_name": "host-2"}, "gate")  # host-2/d1 is taken
        await until(running.client, busy, {"running"})
        parent_id = await matrix_start(
            running, "/server/testcase/execute", inline_testcase(act("gate"))
        )
        wanted = {**dict.fromkeys(MATCHING, "running"), ("host-2", "d1"): "queued"}
        await children_until(running, parent_id, wanted)  # host-2/d1's waits for its device
        cancelled = await running.client.post(f"/server/executions/{parent_id}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        done = await until(running.client, parent_id, TERMINAL)
        assert done["status"] == "cancelled"
        assert {c["status"] for c in done["children"]} == {"cancelled"}
        assert done["result"]["other"] == 3
        again = await running.client.post(f"/server/executions/{parent_id}/cancel")
        assert again.status_code == 409
        gate(running, "host-2", "d1").set()
        assert (await until(running.client, busy, TERMINAL))["status"] == "completed"


async def test_matrix_starts_are_checked_first_and_repeat_with_their_key(lab: LabFactory) -> None:
    async with lab(HOSTS) as running:
        body = {"actions": [{"command": "ok"}], "all_matching": True}
        path = "/server/action/executeBatch"
        alone = await running.client.post(path, json=body)
        assert alone.status_code == 422
        assert alone.json()["details"][0]["loc"] == ["body", "all_matching"]
        nothing = await running.client.post(
            path, json={**body, "device_selector": {"model": "toaster"}}
        )
        assert nothing.status_code == 422
        assert nothing.json()["details"][0]["loc"] == ["body", "device_selector"]
        retry = await running.client.post(
            path,
            json={**body, "device_selector": {"model": "m"}, "retry_on_infra_failure": True},
        )
        assert retry.status_code == 422
        assert retry.json()["details"][0]["loc"] == ["body", "retry_on_infra_failure"]
        parent_id = await matrix_start(
            running, path, {"actions": [{"command": "ok"}]}, **{"Idempotency-Key": "nightly-1"}
        )
        repeated = await running.client.post(
            path,
            json={**body, "device_selector": {"model": "m"}},
            headers={"Idempotency-Key": "nightly-1"},
        )
        assert (repeated.status_code, repeated.json()["execution_id"]) == (200, parent_id)
        single = await running.client.post(
            path,
            json={"actions": [{"command": "ok"}], "device_selector": {"model": "m"}},
            headers={"Idempotency-Key": "nightly-1"},
        )
        assert single.status_code == 422  # the key is the matrix run's
        done = await until(running.client, parent_id, TERMINAL)
        assert (done["status"], len(done["children"])) == ("completed", 3)
        artifact = await running.client.get(f"/server/executions/{parent_id}/artifacts/a.png")
        assert artifact.status_code == 409
        assert len(artifact.json()["details"]["children"]) == 3
