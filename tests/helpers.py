"""Helpers that follow executions through the API, never by sleeping."""

import time
from typing import Any

import httpx

TERMINAL = {"completed", "error", "cancelled", "timed_out", "interrupted"}


async def start(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> str:
    response = await client.post(path, json=body)
    assert response.status_code == 202, response.text
    execution_id: str = response.json()["execution_id"]
    return execution_id


async def wait_status(
    client: httpx.AsyncClient, execution_id: str, statuses: set[str], seconds: float = 10
) -> dict[str, Any]:
    """Long-poll until the execution's status is one of `statuses`."""
    give_up = time.monotonic() + seconds
    wait = 0  # look first; long-poll only while the status is not yet one we want
    while True:
        response = await client.get(f"/host/executions/{execution_id}", params={"wait": wait})
        assert response.status_code == 200, response.text
        view: dict[str, Any] = response.json()
        if view["status"] in statuses:
            return view
        assert time.monotonic() < give_up, f"still {view['status']} after {seconds} s: {view}"
        wait = 1


async def finished(
    client: httpx.AsyncClient, execution_id: str, seconds: float = 10
) -> dict[str, Any]:
    return await wait_status(client, execution_id, TERMINAL, seconds)


def actions(*commands: str | dict[str, Any]) -> list[dict[str, Any]]:
    return [{"command": c} if isinstance(c, str) else c for c in commands]
