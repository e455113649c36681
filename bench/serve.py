"""Serve one of the benchmarked apps under the same uvicorn settings as the others.

python bench/serve.py hello --port N
python bench/serve.py host  --port N --config examples/host.yaml
python bench/serve.py proxy --port N --config proxy.yaml
"""

import argparse
import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from host_service import HostSettings
from host_service import create_app as create_host
from proxy_service import ProxySettings
from proxy_service import create_app as create_proxy


def hello_world() -> FastAPI:
    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        """The baseline: FastAPI and uvicorn doing nothing else."""
        return {"hello": "world"}

    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("app", choices=["hello", "host", "proxy"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--config", type=Path)
    args = parser.parse_args()
    if args.app == "hello":
        app = hello_world()
    elif args.app == "host":
        app = create_host(HostSettings(config_path=args.config, latency_scale=0.01))
    else:
        app = create_proxy(ProxySettings(config_path=args.config))
    # One worker, uvloop and httptools (uvicorn[standard]), no access log: for all three.
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
