"""Every start route's documented examples, as the docs page's "Try it out" sends them,
succeed against the demo stack (examples/host*.yaml, examples/proxy.yaml, the library)."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from tests.helpers import TERMINAL
from tests.hostile.lab_app import EXAMPLES, LabApp, host_app


def examples(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(path with its parameters' examples filled in, body) for every start example."""
    found = []
    for template, methods in document["paths"].items():
        operation = methods.get("post", {})
        if not operation.get("operationId", "").startswith("start_"):
            continue
        path = template
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                path = path.replace(f"{{{parameter['name']}}}", parameter["example"])
        named = operation["requestBody"]["content"]["application/json"]["examples"]
        found += [(path, example["value"]) for example in named.values()]
    return found


async def follow(client: httpx.AsyncClient, status_url: str) -> dict[str, Any]:
    waiting = status_url + ("&" if "?" in status_url else "?") + "wait=5"
    for _ in range(60):
        view: dict[str, Any] = (await client.get(waiting)).json()
        if view["status"] in TERMINAL:
            return view
    raise AssertionError(f"{status_url} never finished")


@pytest.fixture(params=["host", "proxy"])
async def demo(request: pytest.FixtureRequest) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    app = host_app(EXAMPLES / "host.yaml") if request.param == "host" else LabApp()
    async with LifespanManager(app, startup_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
            yield client, getattr(app, "proxy", app)


async def test_every_documented_start_example_succeeds(
    demo: tuple[httpx.AsyncClient, Any],
) -> None:
    client, app = demo
    cases = examples(app.openapi())
    assert len(cases) >= 6
    for path, body in cases:
        started = await client.post(path, json=body)
        assert started.status_code == 202, (path, body, started.text)
        view = await follow(client, started.json()["status_url"])
        assert view["status"] == "completed", (path, body, view["error"])
