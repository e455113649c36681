"""A campaign's evidence: a screenshot per failed item, named in its JUnit report."""

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from tests.conftest import LIBRARY, HostFactory, RunningHost
from tests.helpers import finished, start
from tests.host_service.kinds.test_campaign import FAILING, RUN, campaign

ATTACHMENT = "[[ATTACHMENT|"


def system_out(report: bytes) -> dict[str, str]:
    root = ET.fromstring(report)  # noqa: S314 - our own report, not untrusted input
    return {
        str(case.get("name")): (case.findtext("system-out") or "") for case in root.iter("testcase")
    }


def attachments(text: str) -> list[str]:
    return [
        line.removeprefix(ATTACHMENT).removesuffix("]]")
        for line in text.splitlines()
        if line.startswith(ATTACHMENT)
    ]


async def failed_campaign(host: RunningHost) -> dict[str, Any]:
    body = campaign({"testcase_id": "open_guide"}, {"testcase": FAILING}, continue_on_failure=True)
    execution_id = await start(host.client, RUN, {"device_id": "tv-1", "campaign": body})
    return await finished(host.client, execution_id, seconds=30)


async def test_the_junit_report_links_each_failed_items_screenshot(
    host_factory: HostFactory,
) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        view = await failed_campaign(host)
        execution_id = view["execution_id"]
        [artifact] = view["artifacts"]  # the failed item's; the passed one left none
        assert artifact["step_id"] == "always_fails"
        report = await host.client.get(f"/host/campaign/execution/{execution_id}/junit")
        outs = system_out(report.content)
        assert attachments(outs["open_guide"]) == []
        [link] = attachments(outs["always_fails"])
        assert link == f"http://host{artifact['url']}"
        assert outs["always_fails"].startswith("FAIL check (block)")  # the nodes come first
        served = await host.client.get(link)
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/png"


async def test_a_link_template_leads_the_links_elsewhere(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        view = await failed_campaign(host)
        execution_id, [artifact] = view["execution_id"], view["artifacts"]
        template = "https://ci.example/runs/{execution_id}/{name}?from=lab"
        report = await host.client.get(
            f"/host/campaign/execution/{execution_id}/junit", params={"attachment_url": template}
        )
        [link] = attachments(system_out(report.content)["always_fails"])
        assert link == f"https://ci.example/runs/{execution_id}/{artifact['name']}?from=lab"


@pytest.mark.parametrize(
    "template",
    ["https://ci/{nope}/{name}", "https://ci/no-name", "ftp://ci/{name}", "https://ci/{name"],
)
async def test_a_bad_link_template_is_a_422_naming_it(
    host_factory: HostFactory, template: str
) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        view = await failed_campaign(host)
        report = await host.client.get(
            f"/host/campaign/execution/{view['execution_id']}/junit",
            params={"attachment_url": template},
        )
        assert report.status_code == 422, report.text
        assert report.json()["details"][0]["loc"] == ["query", "attachment_url"]
