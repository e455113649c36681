"""What `uiautomator dump` says is on screen: its nodes, and selectors that find them.

A selector names one attribute: `text=Play`, `id=com.app:id/play` (resource-id) or
`desc=Play button` (content-desc); the whole value must match. Text checks look for a
substring in any node's text or content-desc.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SELECTOR_PATTERN = r"^(text|id|desc)=."
_ATTRIBUTES = {"text": "text", "id": "resource-id", "desc": "content-desc"}
_BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")


@dataclass(frozen=True)
class Node:
    text: str
    resource_id: str
    content_desc: str
    bounds: tuple[int, int, int, int]

    def describe(self) -> str:
        parts = [f"{key}={value!r}" for key, value in self.named().items() if value]
        return f"node({', '.join(parts)}, bounds={list(self.bounds)})"

    def named(self) -> dict[str, str]:
        return {"text": self.text, "id": self.resource_id, "desc": self.content_desc}


class HierarchyError(ValueError):
    pass


def parse_hierarchy(output: str) -> list[Node]:
    """The nodes of a dump printed to stdout (`uiautomator dump /dev/tty`)."""
    start, end = output.find("<?xml"), output.rfind("</hierarchy>")
    if start < 0 or end < 0:
        raise HierarchyError(f"no UI hierarchy in the dump: {output[:200]!r}")
    # The XML comes from the lab's own device, and the expat Python ships (>= 2.4) caps
    # entity expansion, so the standard parser is safe enough here.
    root = ET.fromstring(output[start : end + len("</hierarchy>")])  # noqa: S314
    return [
        Node(
            text=element.get("text", ""),
            resource_id=element.get("resource-id", ""),
            content_desc=element.get("content-desc", ""),
            bounds=_bounds(element.get("bounds", "")),
        )
        for element in root.iter("node")
    ]


def _bounds(text: str) -> tuple[int, int, int, int]:
    match = _BOUNDS.match(text)
    if match is None:
        return 0, 0, 0, 0
    left, top, right, bottom = (int(group) for group in match.groups())
    return left, top, right, bottom


def find(nodes: list[Node], selector: str) -> Node | None:
    key, _, wanted = selector.partition("=")
    if key not in _ATTRIBUTES:
        raise HierarchyError(f"selector {selector!r}: expected text=, id= or desc=")
    return next((node for node in nodes if node.named()[key] == wanted), None)


def texts(nodes: list[Node]) -> list[str]:
    """Every text a person could read on screen, in order, once each."""
    seen: dict[str, None] = {}
    for node in nodes:
        for value in (node.text, node.content_desc):
            if value:
                seen[value] = None
    return list(seen)
