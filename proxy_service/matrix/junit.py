"""A matrix run's JUnit report: one `<testsuite>` per device, from its children's final views.

Made from the store, so it is served also while a host that ran a child is offline. The
suites are named `<definition name> on <host>/<device>` so CI servers keep them apart.
"""

from collections.abc import Callable
from xml.etree.ElementTree import Element

from proxy_service.lab.matrix_rows import MatrixChildRow, MatrixRow
from proxy_service.lab_errors import LabConflictError, NotInHistoryError
from proxy_service.matrix.sums import parent_status
from schemas import ExecutionKind, ExecutionView
from service_common.junit import RanOn, report
from service_common.junit_views import definition_of, links_by_step, view_suite

# The link to a child's artifact through the proxy: (its lab id, the artifact's name) -> URL.
Link = Callable[[str, str], str]


def _suite(kind: ExecutionKind, pin: MatrixChildRow, view: ExecutionView, link: Link) -> Element:
    ran = RanOn(pin.request.id, pin.host_name, pin.device_id, view.started_at)
    links = links_by_step(view.artifacts, lambda name: link(pin.request.id, name))
    definition = definition_of(kind, pin.request.body)
    return view_suite(view, definition, ran, links, f" on {pin.host_name}/{pin.device_id}")


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
    return report(f"{definition_of(kind, first)[1]} on {len(suites)} devices", suites)
