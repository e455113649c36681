"""Every operation of an OpenAPI document, as a request that reaches its route."""

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # with path parameters filled in
    has_body: bool
    documented: frozenset[str]  # the status codes it declares

    def request(self, client: httpx.AsyncClient, **kwargs: Any) -> httpx.Request:
        return client.build_request(self.method, self.path, **kwargs)


def operations(document: dict[str, Any], fill: str) -> list[Operation]:
    """Each path and method of `document`, path parameters set to `fill`."""
    found = []
    for template, methods in document["paths"].items():
        path = template
        for name in [p.split("}")[0] for p in template.split("{")[1:]]:
            path = path.replace(f"{{{name}}}", "action" if name == "kind" else fill)
        for method, operation in methods.items():
            found.append(
                Operation(
                    method.upper(),
                    path,
                    "requestBody" in operation,
                    frozenset(operation["responses"]),
                )
            )
    return found
