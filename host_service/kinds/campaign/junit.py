"""A campaign result as JUnit XML, the report format CI servers read.

One `testcase` element per item: a failed item carries `<failure>`, an item that
could not run (bad inputs, driver fault, its own timeout) or was stopped with its
campaign (cancelled, deadline) `<error>` with the status as its type, a skipped or
not-run one `<skipped>`. The nodes each item visited go to `<system-out>`.
"""

import xml.etree.ElementTree as ET
from datetime import datetime

from schemas.campaign import CampaignItemResult, CampaignResult


def _seconds(ms: float) -> str:
    return f"{ms / 1000:.3f}"


def _item_element(suite: ET.Element, campaign_id: str, item: CampaignItemResult) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        name=item.name,
        classname=f"{campaign_id}.{item.testcase_id}",
        time=_seconds(item.duration_ms),
    )
    if item.status == "failed":
        failure = ET.SubElement(case, "failure", message=item.message, type="failed")
        failure.text = item.message
    elif item.status in ("error", "timed_out", "cancelled"):
        error = ET.SubElement(case, "error", message=item.message, type=item.status)
        error.text = item.message
    elif item.status == "skipped":
        ET.SubElement(case, "skipped", message=item.message)
    if item.result is not None:
        lines = [
            f"{'PASS' if b.success else 'FAIL'} {b.node_id} ({b.type}) {b.message}".rstrip()
            for b in item.result.blocks
        ]
        ET.SubElement(case, "system-out").text = "\n".join(lines)


def junit_xml(
    result: CampaignResult,
    execution_id: str,
    host_name: str,
    device_id: str,
    started_at: datetime | None,
) -> bytes:
    attributes = {
        "name": result.name,
        "tests": str(result.total),
        "failures": str(result.failed),
        "errors": str(result.errors),
        "skipped": str(result.skipped),
        "time": _seconds(result.duration_ms),
    }
    root = ET.Element("testsuites", attributes)
    suite = ET.SubElement(root, "testsuite", {**attributes, "hostname": host_name})
    if started_at is not None:
        suite.set("timestamp", started_at.isoformat(timespec="seconds"))
    properties = ET.SubElement(suite, "properties")
    for name, value in [
        ("campaign_id", result.campaign_id),
        ("execution_id", execution_id),
        ("device_id", device_id),
    ]:
        ET.SubElement(properties, "property", name=name, value=value)
    for item in result.items:
        _item_element(suite, result.campaign_id, item)
    ET.indent(root)
    report: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return report
