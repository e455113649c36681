"""CPU per request of the HTTP clients the proxy could forward with, in one run.

32 concurrent GETs on a hello-world route in another process; the figure is the
client process's own CPU time per request, which is what the proxy pays per
forwarded request on top of serving it.

    python -m bench.http_clients [--requests N]
"""

import argparse
import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import aiohttp
import httpx
import uvloop
from httpx_aiohttp import AiohttpTransport

from tests.processes import service

Get = Callable[[str], Awaitable[None]]


@asynccontextmanager
async def aiohttp_alone() -> AsyncIterator[Get]:
    async with aiohttp.ClientSession() as session:

        async def get(url: str) -> None:
            async with session.get(url) as response:
                await response.read()

        yield get


@asynccontextmanager
async def with_httpx(transport: httpx.AsyncBaseTransport | None) -> AsyncIterator[Get]:
    async with httpx.AsyncClient(transport=transport) as client:

        async def get(url: str) -> None:
            await client.get(url)

        yield get


async def cpu_per_request(
    client: AbstractAsyncContextManager[Get], url: str, requests: int, concurrency: int = 32
) -> tuple[float, float]:
    """(CPU µs per request, requests per second)."""
    left = requests
    async with client as get:
        await get(url)

        async def worker() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                await get(url)

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return (time.process_time() - cpu) / requests * 1e6, requests / (time.perf_counter() - wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    clients: dict[str, Callable[[], AbstractAsyncContextManager[Get]]] = {
        "aiohttp": aiohttp_alone,
        "httpx on httpx-aiohttp": lambda: with_httpx(AiohttpTransport()),
        "httpx on httpcore (default)": lambda: with_httpx(None),
    }
    print("| client | CPU µs/request | req/s |\n|---|---:|---:|")
    with service("bench.serve", "hello", health_path="/hello") as base:
        for name, make in clients.items():
            cpu, rate = uvloop.run(cpu_per_request(make(), base + "/hello", args.requests))
            print(f"| {name} | {cpu:,.0f} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
