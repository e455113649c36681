"""Execution results as JUnit XML, the report format CI servers read.

A report is a `<testsuites>` of one `<testsuite>` per execution (a matrix run has one per
device), with the sums of its suites. A campaign's suite has one `testcase` element per item:
a failed item carries `<failure>`, an item that could not run (bad inputs, driver fault, its
own timeout) or was stopped with its campaign (cancelled, deadline) `<error>` with the status
as its type, a skipped or not-run one `<skipped>`. A testcase's suite has one `testcase`
element, the testcase, by the same rule. The nodes each testcase visited go to
`<system-out>`, then a `[[ATTACHMENT|<url>]]` line per screenshot, the convention of CI
servers' JUnit attachment plugins. An execution that ended without a result (an error before
it ran, a cancel while it waited) is a suite of one `<error>`.
"""

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from schemas.campaign import CampaignResult
from schemas.testcase import TestcaseResult

COUNTS = ("tests", "failures", "errors", "skipped")


@dataclass(frozen=True)
class RanOn:
    """Where and when the execution of a suite ran."""

    execution_id: str
    host_name: str
    device_id: str
    started_at: datetime | None


def _seconds(ms: float) -> str:
    return f"{ms / 1000:.3f}"


def _case(
    suite: ET.Element,
    name: str,
    classname: str,
    ms: float,
    status: str,
    message: str,
    lines: list[str] | None,
) -> None:
    """One `testcase` element; `status` as a campaign item's (`passed`, `failed`, ...)."""
    case = ET.SubElement(suite, "testcase", name=name, classname=classname, time=_seconds(ms))
    if status == "failed":
        ET.SubElement(case, "failure", message=message, type="failed").text = message
    elif status == "skipped":
        ET.SubElement(case, "skipped", message=message)
    elif status != "passed":
        ET.SubElement(case, "error", message=message, type=status).text = message
    if lines is not None:
        ET.SubElement(case, "system-out").text = "\n".join(lines)


def _lines(result: TestcaseResult | None, attachments: list[str]) -> list[str] | None:
    lines = [
        f"{'PASS' if b.success else 'FAIL'} {b.node_id} ({b.type}) {b.message}".rstrip()
        for b in (result.blocks if result is not None else [])
    ]
    lines += [f"[[ATTACHMENT|{url}]]" for url in attachments]
    return lines if result is not None or lines else None


def _suite(
    name: str, ran: RanOn, ms: float, counts: tuple[int, int, int, int], definition: tuple[str, str]
) -> ET.Element:
    attributes = {k: str(v) for k, v in zip(COUNTS, counts, strict=True)}
    suite = ET.Element(
        "testsuite", {"name": name, **attributes, "time": _seconds(ms), "hostname": ran.host_name}
    )
    if ran.started_at is not None:
        suite.set("timestamp", ran.started_at.isoformat(timespec="seconds"))
    properties = ET.SubElement(suite, "properties")
    for key, value in [
        definition,
        ("execution_id", ran.execution_id),
        ("device_id", ran.device_id),
    ]:
        ET.SubElement(properties, "property", name=key, value=value)
    return suite


def campaign_suite(
    result: CampaignResult,
    ran: RanOn,
    attachments: Mapping[str, list[str]] | None = None,
    name: str | None = None,
) -> ET.Element:
    """A campaign's suite; `attachments` are the URLs of each item's screenshots, by item."""
    counts = (result.total, result.failed, result.errors, result.skipped)
    suite = _suite(
        name or result.name, ran, result.duration_ms, counts, ("campaign_id", result.campaign_id)
    )
    for item in result.items:
        lines = _lines(item.result, (attachments or {}).get(item.name, []))
        classname = f"{result.campaign_id}.{item.testcase_id}"
        _case(suite, item.name, classname, item.duration_ms, item.status, item.message, lines)
    return suite


def testcase_suite(
    result: TestcaseResult,
    status: str,
    message: str,
    ms: float,
    ran: RanOn,
    attachments: list[str],
    name: str,
) -> ET.Element:
    """A testcase's suite: its one `testcase` element ended as `status` (an item's)."""
    failures, errors = int(status == "failed"), int(status not in ("passed", "failed"))
    suite = _suite(name, ran, ms, (1, failures, errors, 0), ("testcase_id", result.testcase_id))
    lines = _lines(result, attachments)
    _case(suite, result.testcase_id, result.testcase_id, ms, status, message, lines)
    return suite


def unrun_suite(
    definition: tuple[str, str], status: str, message: str, ran: RanOn, name: str
) -> ET.Element:
    """The suite of an execution that ended without a result: one `<error>` typed `status`."""
    suite = _suite(name, ran, 0, (1, 0, 1, 0), definition)
    _case(suite, definition[1], definition[1], 0, status, message, None)
    return suite


def report(name: str, suites: list[ET.Element]) -> bytes:
    """The `<testsuites>` document of `suites`, with their sums."""
    sums = {k: str(sum(int(s.get(k, "0")) for s in suites)) for k in COUNTS}
    seconds = sum(float(s.get("time", "0")) for s in suites)
    root = ET.Element("testsuites", {"name": name, **sums, "time": f"{seconds:.3f}"})
    root.extend(suites)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
