"""Serve one app for a benchmark, with the same uvicorn settings for every app.

python -m bench.serve hello --port N
python -m bench.serve host --port N [--config FILE] [--journal FILE|none]
python -m bench.serve proxy --port N --config FILE
"""

import argparse
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from host_service import HostSettings, create_app
from proxy_service import ProxySettings
from proxy_service import create_app as create_proxy
from service_common.http_server import MAX_HEADER_BYTES, server_limits


def hello_app() -> FastAPI:
    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        """The baseline: the cheapest JSON route FastAPI can serve."""
        return {"hello": "world"}

    @app.post("/hello")
    async def hello_post(body: dict[str, object]) -> dict[str, str]:
        """The baseline for a POST with a small JSON body."""
        return {"hello": "world"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app", choices=["hello", "host", "proxy"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--config", type=Path)
    parser.add_argument("--journal", help="journal file, or `none` for memory only")
    parser.add_argument("--latency-scale", type=float, default=0.0, help="simulated device latency")
    parser.add_argument(
        "--http",
        choices=["services", "httptools", "h11"],
        default="services",
        help="the services' server settings, plain httptools, or h11 with its head bound",
    )
    args = parser.parse_args()
    if args.app == "hello":
        app = hello_app()
    elif args.app == "proxy":
        app = create_proxy(ProxySettings(config_path=args.config))
    else:
        overrides: dict[str, object] = {"latency_scale": args.latency_scale}
        if args.config is not None:
            overrides["config_path"] = args.config
        if args.journal is not None:
            overrides["journal"] = args.journal
        app = create_app(HostSettings(**overrides))  # type: ignore[arg-type]  # validated
    server = {
        "services": server_limits(),  # httptools with a bound on the request head
        "httptools": {"http": "httptools"},
        "h11": {"http": "h11", "h11_max_incomplete_event_size": MAX_HEADER_BYTES},
    }[args.http]
    uvicorn.run(
        app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False, **server
    )


if __name__ == "__main__":
    main()
