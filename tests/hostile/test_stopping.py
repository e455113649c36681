"""SIGTERM while clients long-poll and stream, on real processes: each service exits within
2 s, streams end with a `stream_end` event, and the host's execution ends `interrupted`."""

import asyncio
import signal
import time
from pathlib import Path

import httpx

from tests.hostile.real_lab import real_lab
from tests.hostile.services import Service

SLEEP = {
    "host_name": "host-1",
    "device_id": "tv-01",
    "blocks": [{"name": "sleep", "params": {"seconds": 30}}],
}


def terminate(service: Service) -> float:
    """SIGTERM; the seconds until the process exited (at most 10)."""
    assert service.process is not None
    began = time.monotonic()
    service.process.send_signal(signal.SIGTERM)
    service.process.wait(timeout=10)
    return time.monotonic() - began


async def stream_lines(client: httpx.AsyncClient, url: str, seen: list[str]) -> None:
    async with client.stream("GET", url) as answer:
        async for line in answer.aiter_lines():
            seen.append(line)


def open_waits(
    client: httpx.AsyncClient, base: str, execution_id: str
) -> list[asyncio.Task[httpx.Response]]:
    """Two long-polls of 60 s: one on the status route of the kind, one kind-agnostic."""
    params: dict[str, str | int] = {"wait": 60}
    if base == "/server":
        params["host_name"] = "host-1"
    return [
        asyncio.create_task(client.get(f"{base}/executions/{execution_id}", params=params)),
        asyncio.create_task(
            client.get(f"{base}/block/execution/{execution_id}/status", params=params)
        ),
    ]


async def test_services_stop_within_2_s_with_long_polls_and_streams_open(tmp_path: Path) -> None:
    with real_lab(tmp_path, hosts=1, devices_per_host=1) as lab:
        host, proxy = lab.hosts["host-1"], lab.proxy
        async with httpx.AsyncClient(base_url=proxy.url, timeout=30) as client:
            started = await client.post("/server/builder/execute", json=SLEEP)
            assert started.status_code == 202, started.text
            execution_id = started.json()["execution_id"]
            via_proxy: list[str] = []
            proxy_waits = open_waits(client, "/server", execution_id)
            proxy_stream = asyncio.create_task(
                stream_lines(client, started.json()["events_url"], via_proxy)
            )
            async with httpx.AsyncClient(base_url=host.url, timeout=30) as direct:
                on_host: list[str] = []
                host_waits = open_waits(direct, "/host", execution_id)
                host_stream = asyncio.create_task(
                    stream_lines(direct, f"/host/executions/{execution_id}/events", on_host)
                )
                give_up = time.monotonic() + 10
                while not (via_proxy and on_host):  # both streams are open and flowing
                    assert time.monotonic() < give_up
                    await asyncio.sleep(0.02)
                proxy_took = await asyncio.to_thread(terminate, proxy)
                proxy_answers = await asyncio.gather(*proxy_waits, proxy_stream)
                host_took = await asyncio.to_thread(terminate, host)
                host_answers = await asyncio.gather(*host_waits, host_stream)
        host.start()  # same journal: the execution's outcome was recorded on the way out
        async with httpx.AsyncClient(base_url=host.url, timeout=30) as direct:
            after = (await direct.get(f"/host/executions/{execution_id}")).json()

    assert proxy_took < 2, proxy_took
    assert host_took < 2, host_took
    for answer in [*proxy_answers[:2], *host_answers[:2]]:
        assert isinstance(answer, httpx.Response)
        assert answer.status_code == 200, (answer.request.url, answer.text)
        assert answer.json()["status"] == "running"
    assert "event: stream_end" in via_proxy
    assert "event: stream_end" in on_host
    assert after["status"] == "interrupted"
    assert after["error"]["code"] == "host_stopped"
