"""Where executions are recorded: host listings, the proxy's fan-out listing, the journals.

Every check here is what a user relies on after a bad day: each execution is somewhere,
with one status everywhere, and no device ran two executions at once.
"""

import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

PAGE = 500


async def host_listing(host_url: str) -> dict[str, dict[str, Any]]:
    """Every execution a host lists, by id, read page by page from the host itself."""
    found: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient(base_url=host_url, timeout=30) as client:
        while True:
            response = await client.get(
                "/host/executions", params={"offset": len(found), "limit": PAGE}
            )
            assert response.status_code == 200, response.text
            page = response.json()
            found.update({view["execution_id"]: view for view in page["items"]})
            if len(found) >= page["total"] or not page["items"]:
                return found


async def proxy_listing(client: httpx.AsyncClient) -> dict[str, dict[str, dict[str, Any]]]:
    """Every execution of every host as the proxy's fan-out listing shows them."""
    found: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    offset = 0
    while True:
        response = await client.get("/server/executions", params={"offset": offset, "limit": PAGE})
        assert response.status_code == 200, response.text
        hosts = response.json()["hosts"]
        for host in hosts:
            assert host["reachable"], host["error"]
            found[host["host_name"]].update(
                {view["execution_id"]: view for view in host["page"]["items"]}
            )
        if all(offset + PAGE >= host["page"]["total"] for host in hosts):
            return dict(found)
        offset += PAGE


def journal_statuses(journal: Path) -> dict[str, str]:
    """Status of every execution in a host's SQLite journal, read without writing."""
    connection = sqlite3.connect(f"file:{journal}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT execution_id, status FROM executions").fetchall()
    finally:
        connection.close()
    return dict(rows)


def statuses(views: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {execution_id: view["status"] for execution_id, view in views.items()}


def overlaps(views: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of executions whose running intervals overlap on one device."""
    runs: dict[tuple[str, str], list[tuple[datetime, datetime, str]]] = defaultdict(list)
    for view in views:
        if view["started_at"] is None:
            continue  # never ran: queued when it was cancelled or interrupted
        end = view["finished_at"]
        assert end is not None, f"{view['execution_id']} started and never finished"
        key = (view["host_name"], view["device_id"])
        started = datetime.fromisoformat(view["started_at"])
        runs[key].append((started, datetime.fromisoformat(end), view["execution_id"]))
    found = []
    for intervals in runs.values():
        intervals.sort()
        for (_, end, first), (start, _, second) in itertools.pairwise(intervals):
            if start < end:
                found.append((first, second))
    return found
