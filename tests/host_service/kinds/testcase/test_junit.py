"""A single testcase's JUnit report: what a CI job that ran one testcase reads."""

import xml.etree.ElementTree as ET

from tests.conftest import LIBRARY, HostFactory
from tests.helpers import finished, start, wait_status
from tests.host_service.kinds.test_campaign import FAILING
from tests.host_service.kinds.testcase.graphs import RUN, graph_of, inline

SLEEP = {"id": "wait", "type": "block", "block": "sleep", "params": {"seconds": 30}}


def parsed(report: bytes) -> ET.Element:
    return ET.fromstring(report)  # noqa: S314 - our own report, not untrusted input


async def test_a_passed_testcase_is_one_passed_testcase_with_the_nodes_it_visited(
    host_factory: HostFactory,
) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        execution_id = await start(
            host.client, RUN, {"device_id": "tv-1", "testcase_id": "open_guide"}
        )
        assert (await finished(host.client, execution_id, seconds=30))["status"] == "completed"
        answer = await host.client.get(f"/host/testcase/execution/{execution_id}/junit")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/xml"
        root = parsed(answer.content)
        assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "0")
        [suite] = root.iter("testsuite")
        assert suite.get("name") == "open_guide"
        assert suite.get("hostname") == (await host.client.get("/host/health")).json()["name"]
        properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert properties["execution_id"] == execution_id
        assert properties["testcase_id"] == "open_guide"
        [case] = suite.iter("testcase")
        assert case.find("failure") is None
        assert case.find("error") is None
        assert (case.findtext("system-out") or "").startswith("PASS ")


async def test_a_failed_testcase_is_a_failure_with_links_to_its_screenshots(
    host_factory: HostFactory,
) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        execution_id = await start(host.client, RUN, {"device_id": "tv-1", "testcase": FAILING})
        view = await finished(host.client, execution_id, seconds=30)
        answer = await host.client.get(f"/host/testcase/execution/{execution_id}/junit")
        [case] = parsed(answer.content).iter("testcase")
        failure = case.find("failure")
        assert failure is not None
        assert failure.get("message") == view["result"]["message"]
        out = case.findtext("system-out") or ""
        assert "FAIL check (block)" in out
        assert view["artifacts"], view  # the failed node's screenshot
        links = [f"[[ATTACHMENT|http://host{a['url']}]]" for a in view["artifacts"]]
        assert all(link in out for link in links)


async def test_a_running_testcase_has_no_report_yet_and_a_cancelled_one_is_an_error(
    host_factory: HostFactory,
) -> None:
    async with host_factory() as host:
        edges = [("start", "wait", "success"), ("wait", "end", "success")]
        waits = inline(graph_of(SLEEP, {"id": "end", "type": "success"}, edges=edges))
        execution_id = await start(host.client, RUN, {"device_id": "tv-1", "testcase": waits})
        await wait_status(host.client, execution_id, {"running"})
        early = await host.client.get(f"/host/testcase/execution/{execution_id}/junit")
        assert early.status_code == 409, early.text
        assert early.json()["error"] == "not_finished"
        cancelled = await host.client.post(f"/host/executions/{execution_id}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        await finished(host.client, execution_id)
        answer = await host.client.get(f"/host/testcase/execution/{execution_id}/junit")
        [case] = parsed(answer.content).iter("testcase")
        error = case.find("error")
        assert error is not None
        assert error.get("type") == "cancelled"


async def test_another_kinds_execution_is_a_404(host_factory: HostFactory) -> None:
    async with host_factory() as host:
        batch = {
            "device_id": "tv-1",
            "actions": [{"command": "press_key", "params": {"key": "OK"}}],
        }
        execution_id = await start(host.client, "/host/action/executeBatch", batch)
        answer = await host.client.get(f"/host/testcase/execution/{execution_id}/junit")
        assert answer.status_code == 404, answer.text
        assert execution_id in answer.json()["message"]
