"""The proxy under many streams and under hosts that hang, as real processes: 200 open
long-polls and event streams never starve starts nor mark a host offline, and a host that
never answers (or answers a byte at a time) costs every call and listing a bounded wait."""

import asyncio
import time
from pathlib import Path

import httpx
import yaml

from tests.hostile.real_lab import real_lab
from tests.hostile.services import Service
from tests.proxy_service.silent_host import Behaviour, silent_host

OPEN = 200  # what exhausted the one shared pool before
STREAMS_PER_HOST = 128  # the default PROXY_MAX_STREAMS_PER_HOST
SLEEP = {"device_id": "tv-01", "blocks": [{"name": "sleep", "params": {"seconds": 60}}]}
HOME = [{"command": "press_key", "params": {"key": "HOME"}}]


async def test_open_streams_and_long_polls_never_starve_starts(tmp_path: Path) -> None:
    with real_lab(tmp_path, hosts=2, devices_per_host=2) as lab:
        limits = httpx.Limits(max_connections=OPEN + 20)
        async with httpx.AsyncClient(base_url=lab.proxy.url, timeout=30, limits=limits) as client:
            started = await client.post(
                "/server/builder/execute", json={**SLEEP, "host_name": "host-1"}
            )
            execution_id = started.json()["execution_id"]
            url = f"/server/executions/{execution_id}"
            query = {"host_name": "host-1"}

            async def hold(index: int) -> int:
                if index % 2:
                    async with client.stream("GET", f"{url}/events", params=query) as stream:
                        if stream.status_code == 200:
                            chunks = stream.aiter_bytes()  # kept: a dropped one hangs up
                            await anext(chunks)  # open and flowing; hold it until cancelled
                            await asyncio.Event().wait()
                        return stream.status_code
                answer = await client.get(url, params={**query, "wait": 60})
                return answer.status_code

            holders = [asyncio.create_task(hold(n)) for n in range(OPEN)]
            busy = [h for h in holders if h.done()]
            give_up = time.monotonic() + 20
            while len(busy) < OPEN - STREAMS_PER_HOST:  # the rest are refused at once
                assert time.monotonic() < give_up, f"only {len(busy)} refused"
                await asyncio.sleep(0.05)
                busy = [h for h in holders if h.done()]
            began = time.monotonic()
            other = await client.post(
                "/server/action/executeBatch",
                json={"host_name": "host-2", "device_id": "tv-01", "actions": HOME},
            )
            same = await client.post(
                "/server/action/executeBatch",
                json={"host_name": "host-1", "device_id": "tv-02", "actions": HOME},
            )
            took = time.monotonic() - began
            hosts = (await client.get("/server/hosts")).json()
            await client.post(f"{url}/cancel", params=query)
            for holder in holders:
                holder.cancel()
            await asyncio.gather(*holders, return_exceptions=True)

    assert {h.result() for h in busy} == {503}
    assert other.status_code == 202, other.text
    assert same.status_code == 202, same.text  # requests have their own lane on host-1 too
    assert took < 2
    assert {h["status"] for h in hosts} == {"online"}


async def test_a_hung_host_costs_a_bounded_wait_everywhere(tmp_path: Path) -> None:
    behaviours: tuple[Behaviour, ...] = ("silent", "trickle")
    for behaviour in behaviours:
        async with silent_host("hung", behaviour) as hung_url:
            config = tmp_path / f"proxy-{behaviour}.yaml"
            config.write_text(yaml.safe_dump({"hosts": [{"name": "hung", "url": hung_url}]}))
            env = {
                "PROXY_CONNECT_TIMEOUT_S": "0.5",
                "PROXY_READ_TIMEOUT_S": "0.5",
                "PROXY_TOTAL_TIMEOUT_S": "1.5",
                "PROXY_FANOUT_TIMEOUT_S": "1",
            }
            proxy = Service(
                "proxy_service",
                ["--config", str(config), "--log-level", "warning"],
                "/server/health",
                tmp_path / "proxy.log",
                env,
            )
            await asyncio.to_thread(proxy.start)
            try:
                async with httpx.AsyncClient(base_url=proxy.url, timeout=30) as client:
                    timed = []
                    calls: list[tuple[str, str, dict[str, str]]] = [
                        ("GET", "/server/devices", {}),
                        ("GET", "/server/executions", {}),
                        ("GET", "/server/devices/tv-1", {}),
                        ("GET", "/server/executions/abc/events", {"Accept": "application/json"}),
                    ]
                    if behaviour == "silent":  # a stream's body is bounded by nothing but
                        # its headers: a host sending bytes is a live stream
                        calls.append(("GET", "/server/executions/abc/events", {}))
                    for method, path, headers in calls:
                        began = time.monotonic()
                        answer = await client.request(
                            method, path, params={"host_name": "hung"}, headers=headers
                        )
                        timed.append((path, answer, time.monotonic() - began))
            finally:
                await asyncio.to_thread(proxy.stop)
        for path, answer, took in timed:
            assert took < 3, (behaviour, path, took)
            if path in ("/server/devices", "/server/executions"):
                listed = answer.json()["hosts"][0]
                assert listed["reachable"] is False
                assert listed["error"]["error"] == "host_timeout"
            else:
                assert answer.status_code == 504, (behaviour, path, answer.text)
