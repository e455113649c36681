"""The drain part of `bench/lab.py`: the same executions posted to their hosts (the baseline)
and as lab requests, posted while the lab drains them or waiting in a full queue."""

import argparse
import asyncio
import time
from datetime import datetime
from typing import Any

import aiohttp
import httpx
from sqlalchemy import URL, create_engine, text

from bench.lab_processes import MODEL, RunningLab

CONNECTIONS = 32


def action(run_ms: int) -> dict[str, Any]:
    key = {"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": run_ms}
    return {"actions": [key]}


def epoch(at: str) -> float:
    return datetime.fromisoformat(at).timestamp()


async def post_all(requests: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """POST every (url, body) over `CONNECTIONS` connections; the execution ids, in order."""
    ids: list[str] = [""] * len(requests)
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as session:
        queue = iter(enumerate(requests))

        async def worker() -> None:
            for n, (url, body) in queue:
                async with session.post(url, json=body) as answer:
                    assert answer.status == 202, await answer.text()
                    ids[n] = (await answer.json())["execution_id"]

        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    return ids


def drain_direct(running: RunningLab, count: int, run_ms: int) -> float:
    """Executions a second: `count` starts on named devices, until every one ended."""
    devices = running.devices
    requests = [
        (f"{running.hosts[h]}/host/action/executeBatch", action(run_ms) | {"device_id": d})
        for h, d in (devices[n % len(devices)] for n in range(count))
    ]
    began = time.time()
    ids = asyncio.run(post_all(requests))
    ended = 0.0
    with httpx.Client(timeout=30) as client:
        for name, url in running.hosts.items():
            mine = {i for i, (h, _) in zip(ids, requests, strict=True) if h.startswith(url)}
            active: dict[str, str | list[str]] = {"status": ["queued", "running"], "limit": "1"}
            while client.get(f"{url}/host/executions", params=active).json()["total"]:
                time.sleep(0.05)  # polled; the end time comes from the views, not from this
            offset = 0
            while mine:  # newest first: this round's executions come first
                page = client.get(
                    f"{url}/host/executions", params={"limit": 500, "offset": offset}
                ).json()
                assert page["items"], f"{name}: {len(mine)} executions not found"
                for view in page["items"]:
                    if view["execution_id"] in mine:
                        mine.discard(view["execution_id"])
                        assert view["status"] == "completed", view
                        ended = max(ended, epoch(view["finished_at"]))
                offset += 500
    return count / (ended - began)


def lab_ended(store: URL, since: float, count: int) -> float:
    """When the lab recorded the last of the `count` requests made since `since` ended."""
    engine = create_engine(store)
    mine = "FROM lab_requests WHERE created_at >= :since"
    try:
        with engine.connect() as connection:
            while True:
                left = connection.execute(
                    text(f"SELECT count(*) {mine} AND state != 'done'"), {"since": since}
                ).scalar()
                connection.commit()  # a fresh snapshot at the next look
                if not left:
                    break
                time.sleep(0.05)  # polled; the end time comes from the store's finished_at
            counted = connection.execute(
                text(f"SELECT status, count(*) {mine} GROUP BY status"), {"since": since}
            )
            statuses = {status: n for status, n in counted}
            assert statuses == {"completed": count}, statuses
            ended: float = connection.execute(
                text(f"SELECT max(finished_at) {mine}"), {"since": since}
            ).scalar_one()
    finally:
        engine.dispose()
    return ended


def drain_lab(running: RunningLab, store: URL, count: int, run_ms: int) -> tuple[float, float]:
    """Executions a second from the first post until the lab recorded every one ended, and
    the starts it accepted a second meanwhile."""
    body = action(run_ms) | {"device_selector": {"model": MODEL}}
    requests = [(f"{running.proxy}/server/action/executeBatch", body)] * count
    began = time.time()
    asyncio.run(post_all(requests))
    posted = time.time()
    return count / (lab_ended(store, began, count) - began), count / (posted - began)


def drain_queue(running: RunningLab, store: URL, count: int, run_ms: int) -> float:
    """Executions a second of a full lab queue: `count` starts accepted while every host is
    drained, then the hosts released; until the lab recorded every one ended."""
    body = action(run_ms) | {"device_selector": {"model": MODEL}}
    requests = [(f"{running.proxy}/server/action/executeBatch", body)] * count
    since = time.time()
    with httpx.Client(base_url=running.proxy, timeout=30) as client:
        for name in running.hosts:
            client.post(f"/server/hosts/{name}/drain").raise_for_status()
        asyncio.run(post_all(requests))
        began = time.time()
        for name in running.hosts:
            client.post(f"/server/hosts/{name}/release").raise_for_status()
    return count / (lab_ended(store, since, count) - began)


def drains(running: RunningLab, store: URL, args: argparse.Namespace, label: str) -> None:
    """The three drains of one round, each with the CPU its processes spent per execution."""
    count, run_ms, hosts = args.queue, args.run_ms, list(running.hosts)

    def cpu(before: tuple[float, float]) -> str:
        proxy, on_hosts = running.cpu_s("proxy") - before[0], running.cpu_s(*hosts) - before[1]
        per = f"proxy {proxy / count * 1e6:,.0f} us, hosts {on_hosts / count * 1e6:,.0f} us"
        return f"CPU per execution: {per}"

    def now() -> tuple[float, float]:
        return running.cpu_s("proxy"), running.cpu_s(*hosts)

    print(f"{label}: {count:,} executions of {run_ms} ms over {len(running.devices)} devices")
    before = now()
    direct = drain_direct(running, count, run_ms)
    print(f"  direct (baseline) {direct:,.0f}/s; {cpu(before)}")
    before = now()
    through_lab, accepted = drain_lab(running, store, count, run_ms)
    print(
        f"  lab, posted while it drains {through_lab:,.0f}/s, "
        f"direct/lab {direct / through_lab:.2f}x (starts accepted {accepted:,.0f}/s); {cpu(before)}"
    )
    before = now()
    full = drain_queue(running, store, count, run_ms)
    print(f"  lab, a full queue {full:,.0f}/s, direct/lab {direct / full:.2f}x; {cpu(before)}")
