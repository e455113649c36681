"""Helpers of the history tests: runs through the proxy, and the lab's history read back."""

from typing import Any

import httpx

from tests.proxy_service.lab import Lab, finished_via


def testcase(testcase_id: str, command: str) -> dict[str, Any]:
    """An inline testcase of one action: `ok` passes, `fail` fails, `broken` errors."""
    return {
        "id": testcase_id,
        "name": testcase_id,
        "graph": {
            "nodes": [
                {"id": "start", "type": "start"},
                {"id": "act", "type": "action", "actions": [{"command": command}]},
                {"id": "passed", "type": "success"},
                {"id": "failed", "type": "failure"},
            ],
            "edges": [
                {"source": "start", "target": "act"},
                {"source": "act", "target": "passed", "outcome": "success"},
                {"source": "act", "target": "failed", "outcome": "failure"},
            ],
        },
    }


async def run(lab: Lab, host: str, device: str, testcase_id: str, command: str) -> str:
    """Run a testcase on `host`/`device` through the proxy, to its end; its execution id."""
    body = {"host_name": host, "device_id": device, "testcase": testcase(testcase_id, command)}
    started = await lab.client.post("/server/testcase/execute", json=body)
    assert started.status_code == 202, started.text
    execution_id: str = started.json()["execution_id"]
    await finished_via(lab.client, host, execution_id)
    return execution_id


def host_client(lab: Lab, name: str) -> httpx.AsyncClient:
    """A client of one host of the lab directly, past the proxy (close it after use)."""
    transport = lab.links[name].inner
    assert transport is not None
    return httpx.AsyncClient(transport=transport, base_url=f"http://{name}")


async def history(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    """Every page of GET /server/history, followed by its cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/server/history", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
