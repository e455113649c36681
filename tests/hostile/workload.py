"""Mixed executions started through the proxy, and followed until every one has ended."""

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import httpx

from host_service.kinds import EXECUTOR_TYPES
from schemas import ExecutionKind
from schemas.kinds import START_ROUTES
from tests.helpers import TERMINAL

HOME = {"command": "press_key", "params": {"key": "HOME"}}
# One quick, valid request per kind; the library ids come from examples/library.
BODIES: dict[ExecutionKind, dict[str, Any]] = {
    ExecutionKind.action: {
        "actions": [HOME, {"command": "press_key", "params": {"key": "RIGHT"}, "iterator": 2}]
    },
    ExecutionKind.verification: {
        "verifications": [
            {"type": "screen", "command": "check_screen", "params": {"screen": "home"}}
        ],
        "pass_condition": "any",
    },
    ExecutionKind.navigation: {"target_node_id": "guide"},
    ExecutionKind.block: {
        "blocks": [
            {"name": "set_variable", "params": {"name": "limit", "value": 100}},
            {
                "name": "evaluate_condition",
                "params": {"left": "{limit}", "operator": ">", "right": 10},
            },
            {"name": "log_message", "params": {"message": "limit is {limit}"}},
        ]
    },
    ExecutionKind.testcase: {"testcase_id": "open_guide"},
    ExecutionKind.campaign: {"campaign_id": "nightly_smoke"},
}
PATH_PARAMS = {"tree_id": "simtv"}


def kinds() -> list[ExecutionKind]:
    """Every kind the host runs: a kind added without a body here fails the load test."""
    missing = set(EXECUTOR_TYPES) - set(BODIES)
    assert not missing, f"no load-test body for {sorted(missing)}"
    return list(EXECUTOR_TYPES)


@dataclass(frozen=True)
class Started:
    host_name: str
    device_id: str
    kind: ExecutionKind
    execution_id: str


def plan(devices: dict[str, list[str]], count: int) -> list[tuple[str, str, ExecutionKind]]:
    """`count` starts spread over every device, each device cycling through the kinds."""
    pairs = [(host, device) for host, ids in devices.items() for device in ids]
    every = kinds()
    return [(*pairs[i % len(pairs)], every[(i // len(pairs)) % len(every)]) for i in range(count)]


async def start_one(
    client: httpx.AsyncClient, host_name: str, device_id: str, kind: ExecutionKind
) -> httpx.Response:
    path = "/server" + START_ROUTES[kind].start_path.format(**PATH_PARAMS)
    body = {**BODIES[kind], "host_name": host_name, "device_id": device_id}
    return await client.post(path, json=body)


async def run_on_host(url: str, device_ids: list[str], count: int) -> None:
    """Start `count` executions on one host directly, every kind in turn, 32 at a time,
    and return once none is queued or running."""
    every = kinds()
    gate = asyncio.Semaphore(32)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:

        async def one(i: int) -> None:
            kind = every[i % len(every)]
            body = {**BODIES[kind], "device_id": device_ids[i % len(device_ids)]}
            path = "/host" + START_ROUTES[kind].start_path.format(**PATH_PARAMS)
            async with gate:
                answer = await client.post(path, json=body)
            assert answer.status_code == 202, answer.text

        await asyncio.gather(*(one(i) for i in range(count)))
        while True:
            pending = []
            for status in ("queued", "running"):
                params = {"status": status, "limit": 500}
                pending += (await client.get("/host/executions", params=params)).json()["items"]
            if not pending:
                return
            for item in pending:
                await follow_on_host(client, item["execution_id"])


async def follow_on_host(client: httpx.AsyncClient, execution_id: str) -> None:
    wait = 0
    while True:
        view = await client.get(f"/host/executions/{execution_id}", params={"wait": wait})
        if view.json()["status"] in TERMINAL:
            return
        wait = 5


async def start_many(
    client: httpx.AsyncClient, devices: dict[str, list[str]], count: int, concurrency: int = 16
) -> list[Started]:
    """Start `count` executions, `concurrency` requests at a time; every start must be a 202."""
    gate = asyncio.Semaphore(concurrency)

    async def one(host_name: str, device_id: str, kind: ExecutionKind) -> Started:
        async with gate:
            response = await start_one(client, host_name, device_id, kind)
        assert response.status_code == 202, response.text
        return Started(host_name, device_id, kind, response.json()["execution_id"])

    return list(await asyncio.gather(*(one(*p) for p in plan(devices, count))))


async def follow(
    client: httpx.AsyncClient, started: Started, seconds: float = 60
) -> dict[str, Any]:
    """Long-poll one execution through the proxy until it ends."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + seconds
    wait = 0
    while True:
        response = await client.get(
            f"/server/executions/{started.execution_id}",
            params={"host_name": started.host_name, "wait": wait},
        )
        assert response.status_code == 200, response.text
        view: dict[str, Any] = response.json()
        if view["status"] in TERMINAL:
            return view
        assert loop.time() < give_up, f"still {view['status']} after {seconds} s: {view}"
        wait = 5


async def follow_all(
    client: httpx.AsyncClient, started: list[Started], seconds: float = 120
) -> dict[str, dict[str, Any]]:
    """The final view of every execution; each device's executions in the order they queued,
    so most answers come at once (the ones before have already ended)."""
    by_device: dict[tuple[str, str], list[Started]] = defaultdict(list)
    for item in started:
        by_device[(item.host_name, item.device_id)].append(item)

    async def device(items: list[Started]) -> list[dict[str, Any]]:
        return [await follow(client, item, seconds) for item in items]

    views = await asyncio.gather(*(device(items) for items in by_device.values()))
    return {view["execution_id"]: view for group in views for view in group}
