"""A matrix run's JUnit report: one `<testsuite>` per device, from its children's final views.

Made from the store, so it is served also while a host that ran a child is offline. The
suites are named `<definition name> on <host>/<device>` so CI servers keep them apart.
"""

from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

from proxy_service.lab.matrix_rows import MatrixChildRow, MatrixRow
from proxy_service.lab_errors import LabConflictError, NotInHistoryError
from proxy_service.matrix.sums import parent_status
from schemas import ExecutionKind, ExecutionStatus, ExecutionView
from schemas.campaign import CampaignResult
from schemas.testcase import TestcaseResult
from service_common.junit import RanOn, campaign_suite, report, testcase_suite, unrun_suite

# The link to a child's artifact through the proxy: (its lab id, the artifact's name) -> URL.
Link = Callable[[str, str], str]
REPORTED = {ExecutionKind.campaign: "campaign_id", ExecutionKind.testcase: "testcase_id"}


def _definition(kind: ExecutionKind, body: dict[str, Any]) -> tuple[str, str]:
    """(`campaign_id` or `testcase_id`, the id) of what a child was asked to run."""
    field = REPORTED[kind]
    inline = body.get(kind.value)
    return field, str(body.get(field) or (inline or {}).get("id") or "")


def _item_status(view: ExecutionView) -> str:
    if view.status is ExecutionStatus.completed:
        return "passed" if view.result is not None and view.result.success else "failed"
    return view.status.value


def _suite(kind: ExecutionKind, pin: MatrixChildRow, view: ExecutionView, link: Link) -> Element:
    ran = RanOn(pin.request.id, pin.host_name, pin.device_id, view.started_at)
    definition = _definition(kind, pin.request.body)
    where = f"{pin.host_name}/{pin.device_id}"
    links: dict[str, list[str]] = {}
    for artifact in view.artifacts:
        links.setdefault(artifact.step_id, []).append(link(pin.request.id, artifact.name))
    result = view.result
    if isinstance(result, CampaignResult):
        return campaign_suite(result, ran, links, f"{result.name} on {where}")
    message = view.error.message if view.error is not None else view.message
    if isinstance(result, TestcaseResult):
        status = _item_status(view)
        shown = result.message if status in ("passed", "failed") else message
        every = [url for urls in links.values() for url in urls]
        name = f"{result.testcase_id} on {where}"
        return testcase_suite(result, status, shown, view.elapsed_ms or 0, ran, every, name)
    return unrun_suite(definition, view.status.value, message, ran, f"{definition[1]} on {where}")


def matrix_junit(
    parent: MatrixRow, kind: ExecutionKind, views: list[ExecutionView], link: Link
) -> bytes:
    """The report of an ended matrix run of `kind` (its children's `views`, in order)."""
    if ExecutionKind(parent.kind) is not kind:
        raise NotInHistoryError(
            f"lab execution {parent.id} is a matrix run of {parent.kind}, not of {kind.value}",
            details={"execution_id": parent.id, "kind": parent.kind},
        )
    status = parent_status(parent)
    if not status.terminal:
        raise LabConflictError(
            f"matrix run {parent.id} is {status.value}: its report is made once it has ended",
            details={"execution_id": parent.id, "status": status.value},
        )
    suites = [
        _suite(kind, pin, view, link) for pin, view in zip(parent.children, views, strict=True)
    ]
    first = parent.children[0].request.body
    return report(f"{_definition(kind, first)[1]} on {len(suites)} devices", suites)
