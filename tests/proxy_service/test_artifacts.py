"""Artifacts through the proxy: relayed from their host as they stream, by host or lab id."""

import xml.etree.ElementTree as ET
from typing import Any

from tests.helpers import TERMINAL
from tests.proxy_service.lab import Lab, LabFactory, finished_via

ABSENT = {"type": "text", "command": "check_text", "params": {"text": "Nothing shows this"}}
CHECKS = "/server/verification/executeBatch"
FAILING = {
    "id": "always_fails",
    "name": "always fails",
    "graph": {
        "nodes": [
            {"id": "start", "type": "start"},
            {
                "id": "check",
                "type": "block",
                "block": "evaluate_condition",
                "params": {"left": 1, "operator": "==", "right": 2},
            },
            {"id": "done", "type": "success"},
        ],
        "edges": [{"source": "start", "target": "check"}, {"source": "check", "target": "done"}],
    },
}


async def failed_on_host_1(lab: Lab) -> dict[str, Any]:
    body = {"host_name": "host-1", "device_id": "tv-1", "verifications": [ABSENT]}
    started = await lab.client.post(CHECKS, json=body)
    assert started.status_code == 202, started.text
    return await finished_via(lab.client, "host-1", started.json()["execution_id"])


async def lab_finished(lab: Lab, execution_id: str) -> dict[str, Any]:
    for _ in range(20):  # each look long-polls up to a second
        view = await lab.client.get(f"/server/executions/{execution_id}", params={"wait": 1})
        assert view.status_code == 200, view.text
        if view.json()["status"] in TERMINAL:
            return dict(view.json())
    raise AssertionError(f"lab execution {execution_id} never finished")


def links(report: bytes) -> list[str]:
    root = ET.fromstring(report)  # noqa: S314 - the host's own report
    return [
        line.removeprefix("[[ATTACHMENT|").removesuffix("]]")
        for out in root.iter("system-out")
        for line in (out.text or "").splitlines()
        if line.startswith("[[ATTACHMENT|")
    ]


async def test_an_artifact_is_relayed_with_its_media_type(lab: LabFactory) -> None:
    async with lab() as running:
        view = await failed_on_host_1(running)
        [artifact] = view["artifacts"]
        path = f"/server/executions/{view['execution_id']}/artifacts/{artifact['name']}"
        relayed = await running.client.get(path, params={"host_name": "host-1"})
        assert relayed.status_code == 200, relayed.text
        assert relayed.headers["content-type"] == "image/png"
        assert len(relayed.content) == artifact["bytes"]
        host_file = running.hosts["host-1"].artifacts.root / view["execution_id"] / artifact["name"]
        assert relayed.content == host_file.read_bytes()


async def test_errors_name_what_is_wrong_and_bad_names_reach_no_host(lab: LabFactory) -> None:
    async with lab() as running:
        view = await failed_on_host_1(running)
        base = f"/server/executions/{view['execution_id']}/artifacts"
        missing = await running.client.get(f"{base}/009-x.png", params={"host_name": "host-1"})
        assert missing.status_code == 404
        assert missing.json()["error"] == "artifact_not_found"
        assert "009-x.png" in missing.json()["message"]
        unknown = await running.client.get(f"{base}/009-x.png", params={"host_name": "nope"})
        assert unknown.status_code == 404
        assert "nope" in unknown.json()["message"]
        before = running.outgoing()
        bad = await running.client.get(f"{base}/.secret", params={"host_name": "host-1"})
        assert bad.status_code == 422
        assert bad.json()["details"][0]["loc"] == ["path", "name"]
        assert running.outgoing() == before


async def test_a_lab_executions_artifacts_and_junit_lead_through_the_proxy(
    lab: LabFactory,
) -> None:
    async with lab() as running:
        body = {
            "device_selector": {"model": "simtv-4k"},
            "campaign": {"id": "c", "name": "c", "items": [{"testcase": FAILING}]},
        }
        started = await running.client.post("/server/campaign/execute", json=body)
        assert started.status_code == 202, started.text
        lab_id = started.json()["execution_id"]
        view = await lab_finished(running, lab_id)
        [artifact] = view["artifacts"]
        assert artifact["step_id"] == "always_fails"
        by_lab_id = f"/server/executions/{lab_id}/artifacts/{artifact['name']}"
        assert (await running.client.get(by_lab_id)).status_code == 200
        report = await running.client.get(f"/server/campaign/execution/{lab_id}/junit")
        assert report.status_code == 200, report.text
        assert links(report.content) == [f"http://proxy{by_lab_id}"]


async def test_a_campaigns_junit_through_the_proxy_links_through_the_proxy(
    lab: LabFactory,
) -> None:
    async with lab() as running:
        body = {
            "host_name": "host-1",
            "device_id": "tv-1",
            "campaign": {"id": "c", "name": "c", "items": [{"testcase": FAILING}]},
        }
        started = await running.client.post("/server/campaign/execute", json=body)
        execution_id = started.json()["execution_id"]
        view = await finished_via(running.client, "host-1", execution_id)
        report = await running.client.get(
            f"/server/campaign/execution/{execution_id}/junit",
            params={"host_name": "host-1", "attachment_url": "https://elsewhere/{name}"},
        )
        [link] = links(report.content)
        name = view["artifacts"][0]["name"]
        assert link == (
            f"http://proxy/server/executions/{execution_id}/artifacts/{name}?host_name=host-1"
        )
        fetched = await running.client.get(link)
        assert fetched.status_code == 200
        assert fetched.headers["content-type"] == "image/png"


async def test_a_single_testcases_junit_by_lab_id_and_by_host_links_through_the_proxy(
    lab: LabFactory,
) -> None:
    async with lab() as running:
        on_any = {"device_selector": {"model": "simtv-4k"}, "testcase": FAILING}
        started = await running.client.post("/server/testcase/execute", json=on_any)
        assert started.status_code == 202, started.text
        lab_id = started.json()["execution_id"]
        [artifact] = (await lab_finished(running, lab_id))["artifacts"]
        report = await running.client.get(f"/server/testcase/execution/{lab_id}/junit")
        assert report.status_code == 200, report.text
        assert links(report.content) == [
            f"http://proxy/server/executions/{lab_id}/artifacts/{artifact['name']}"
        ]
        [failure] = ET.fromstring(report.content).iter("failure")  # noqa: S314 - our own
        assert failure.get("type") == "failed"
        on_host = {"host_name": "host-1", "device_id": "tv-1", "testcase": FAILING}
        started = await running.client.post("/server/testcase/execute", json=on_host)
        execution_id = started.json()["execution_id"]
        view = await finished_via(running.client, "host-1", execution_id)
        report = await running.client.get(
            f"/server/testcase/execution/{execution_id}/junit", params={"host_name": "host-1"}
        )
        assert links(report.content) == [
            f"http://proxy/server/executions/{execution_id}/artifacts/"
            f"{view['artifacts'][0]['name']}?host_name=host-1"
        ]
