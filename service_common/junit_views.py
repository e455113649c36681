"""A finished campaign or testcase execution's view as a JUnit suite (service_common/junit.py).

The host reports one execution so; the proxy a matrix run's children, one suite each. An
execution that ended without a result (an error before it ran, a cancel while it waited)
is a suite of one `<error>` naming what it was asked to run.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol
from xml.etree.ElementTree import Element

from schemas import ExecutionKind, ExecutionStatus, ExecutionView
from schemas.campaign import CampaignResult
from schemas.kinds import REPORTED
from schemas.testcase import TestcaseResult
from service_common.junit import RanOn, campaign_suite, testcase_suite, unrun_suite


class Kept(Protocol):
    """An artifact as a report links it: a host's own record of it, or its view."""

    @property
    def name(self) -> str: ...

    @property
    def step_id(self) -> str: ...


def links_by_step(artifacts: Iterable[Kept], link: Callable[[str], str]) -> dict[str, list[str]]:
    """The URLs (`link(name)`) of each step's artifacts, by step id (a campaign's steps
    are its items)."""
    links: dict[str, list[str]] = {}
    for artifact in artifacts:
        links.setdefault(artifact.step_id, []).append(link(artifact.name))
    return links


def definition_of(kind: ExecutionKind, body: dict[str, Any]) -> tuple[str, str]:
    """(`campaign_id` or `testcase_id`, the id) of what a start body asks to run."""
    field = REPORTED[kind]
    inline = body.get(kind.value)
    return field, str(body.get(field) or (inline or {}).get("id") or "")


def item_status(view: ExecutionView) -> str:
    """As a campaign item's: `passed` or `failed` once it completed, else its status."""
    if view.status is ExecutionStatus.completed:
        return "passed" if view.result is not None and view.result.success else "failed"
    return view.status.value


def view_suite(
    view: ExecutionView,
    definition: tuple[str, str],
    ran: RanOn,
    links: Mapping[str, list[str]],
    where: str = "",
) -> Element:
    """The suite of the ended execution `view`; `links`: its artifacts' URLs by step;
    `where` (" on host/device") tells the suites of a matrix run apart."""
    result = view.result
    if isinstance(result, CampaignResult):
        return campaign_suite(result, ran, links, f"{result.name}{where}")
    message = view.error.message if view.error is not None else view.message
    if isinstance(result, TestcaseResult):
        status = item_status(view)
        shown = result.message if status in ("passed", "failed") else message
        every = [url for urls in links.values() for url in urls]
        name = f"{result.testcase_id}{where}"
        return testcase_suite(result, status, shown, view.elapsed_ms or 0, ran, every, name)
    return unrun_suite(definition, view.status.value, message, ran, f"{definition[1]}{where}")
