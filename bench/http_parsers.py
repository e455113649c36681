"""What the bound on request heads costs: uvicorn's httptools protocol as is (no bound),
the services' protocol (httptools counting each head's bytes, 431 past 32 KiB), and h11
with its own bound (`h11_max_incomplete_event_size`).

Part 1, in process: CPU time of each protocol per request (a small JSON POST fed to
the protocol, answered by a two-message ASGI app), 20,000 requests, three rounds in
turn, medians; robust on a machine that other work shares. Part 2 (`--wrk`): wrk, 32
connections, each app in its own uvicorn process (bench/serve.py), a hello-world POST
and the host's action start route (journal off), every setting in turn; medians.

    .venv/bin/python -m bench.http_parsers [--wrk] [--rounds 5] [--seconds 5]
"""

import argparse
import asyncio
import statistics
import time
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from bench.start_latency import BODIES
from bench.wrk import WrkFigures, lua_post, run_wrk
from service_common.http_server import MAX_HEADER_BYTES, BoundedHttpToolsProtocol
from tests.processes import service

PARSERS = ("httptools", "services", "h11")
PROTOCOLS: dict[str, Any] = {
    "httptools": HttpToolsProtocol,
    "services": BoundedHttpToolsProtocol,
    "h11": H11Protocol,
}
APPS = {
    "hello-world POST": (["hello"], "/hello", "/hello"),
    "start, memory only": (
        ["host", "--journal", "none", "--latency-scale", "1"],
        "/host/health",
        "/host/action/executeBatch",
    ),
}
REQUEST = (
    b"POST /hello HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
    b'Content-Length: 17\r\nUser-Agent: wrk\r\n\r\n{"device_id":"a"}'
)


async def _app(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


class _Transport(asyncio.Transport):
    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 9) if name in ("peername", "sockname") else default

    def write(self, data: Any) -> None:
        pass

    def is_closing(self) -> bool:
        return False


async def cpu_per_request(parser: str, requests: int) -> float:
    protocol_class = PROTOCOLS[parser]
    config = Config(
        app=_app,
        http=protocol_class,
        log_level="warning",
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )
    config.load()
    protocol = protocol_class(config=config, server_state=ServerState(), app_state={})
    protocol.connection_made(_Transport())
    started = time.process_time()
    for _ in range(requests):
        protocol.data_received(REQUEST)
        await asyncio.sleep(0)  # the app's task runs and answers
        await asyncio.sleep(0)
    return (time.process_time() - started) / requests * 1e6


def measure(app: str, parser: str, seconds: int) -> WrkFigures:
    args, health, path = APPS[app]
    with service("bench.serve", *args, "--http", parser, health_path=health) as url:
        run_wrk("warm-up", url, lua_post(path, BODIES), seconds=1)
        return run_wrk(f"{app}, {parser}", url, lua_post(path, BODIES), seconds=seconds)


def wrk_table(rounds: int, seconds: int) -> None:
    runs: dict[tuple[str, str], list[WrkFigures]] = {}
    for _ in range(rounds):  # in turn, so drift on the machine hits every setting alike
        for app in APPS:
            for http in PARSERS:
                runs.setdefault((app, http), []).append(measure(app, http, seconds))
    print("\n| route | protocol | req/s | p50 ms | p99 ms | x httptools req/s |")
    print("|---|---|---:|---:|---:|---:|")
    for app in APPS:
        base = statistics.median(r.requests_per_s for r in runs[(app, "httptools")])
        for http in PARSERS:
            figures = runs[(app, http)]
            rate = statistics.median(r.requests_per_s for r in figures)
            p50 = statistics.median(r.p50_ms for r in figures)
            p99 = statistics.median(r.p99_ms for r in figures)
            print(f"| {app} | {http} | {rate:,.0f} | {p50:.2f} | {p99:.2f} | {rate / base:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrk", action="store_true", help="also load real servers with wrk")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cpu: dict[str, list[float]] = {http: [] for http in PARSERS}
    for _ in range(3):
        for http in PARSERS:
            cpu[http].append(asyncio.run(cpu_per_request(http, 20_000)))
    base = statistics.median(cpu["httptools"])
    print("| protocol | CPU µs per request | x httptools |")
    print("|---|---:|---:|")
    for http in PARSERS:
        value = statistics.median(cpu[http])
        print(f"| {http} | {value:.1f} | {value / base:.2f} |")
    if args.wrk:
        wrk_table(args.rounds, args.seconds)


if __name__ == "__main__":
    main()
