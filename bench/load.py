"""A small keep-alive HTTP/1.1 load generator: N connections, each one request at a time.

Hand-written on asyncio streams so that the client costs far less CPU than the
servers it measures (a full HTTP client library would be the bottleneck).
"""

import asyncio
import re
import time
from dataclasses import dataclass, field

_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)


@dataclass
class LoadResult:
    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies_s) / self.seconds

    def percentile_ms(self, p: float) -> float:
        ordered = sorted(self.latencies_s)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


async def _client(port: int, path: str, until: float, result: LoadResult, record: bool) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    try:
        while (started := time.perf_counter()) < until:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = _LENGTH.search(head)
            await reader.readexactly(int(length.group(1)) if length else 0)
            if record:
                result.latencies_s.append(time.perf_counter() - started)
                if head[9:12] != b"200":
                    result.errors += 1
    finally:
        writer.close()


async def load(port: int, path: str, clients: int, seconds: float, warmup: float) -> LoadResult:
    """Warm up, then measure `clients` concurrent connections for `seconds`."""
    result = LoadResult()
    until = time.perf_counter() + warmup
    await asyncio.gather(*(_client(port, path, until, result, False) for _ in range(clients)))
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(_client(port, path, until, result, True) for _ in range(clients)))
    result.seconds = time.perf_counter() - started
    return result
