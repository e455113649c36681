"""The seed's design done naively: the second baseline of `bench/hot_paths.py`.

A dict keyed by uuid4, the work in `asyncio.to_thread`, no validation, no journal, no
queue per device, no limits: what the host's hot paths would cost with none of what
makes it a service (durability, leases, cancel, deadlines, events, bounds).

    python -m bench.naive_service --port N
"""

import argparse
import asyncio
import uuid
from typing import Any

import uvicorn
from fastapi import FastAPI, Request

from service_common.http_server import server_limits


def naive_app() -> FastAPI:
    app = FastAPI()
    executions: dict[str, dict[str, Any]] = {}

    def run(execution_id: str) -> None:
        executions[execution_id]["status"] = "completed"

    @app.post("/naive/execute", status_code=202)
    async def execute(request: Request) -> dict[str, Any]:
        body = await request.json()
        execution_id = str(uuid.uuid4())
        executions[execution_id] = {"execution_id": execution_id, "status": "running", **body}
        task = asyncio.create_task(asyncio.to_thread(run, execution_id))
        task.add_done_callback(lambda _: None)
        return {"execution_id": execution_id, "status": "running"}

    @app.get("/naive/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/naive/execution/{execution_id}/status")
    async def status(execution_id: str) -> dict[str, Any]:
        return executions[execution_id]

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        naive_app(),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        **server_limits(),
    )


if __name__ == "__main__":
    main()
