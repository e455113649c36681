"""A typed Python client of the proxy, sync and async, built on the shared `schemas` models.

from orchestrator_client import Client
from schemas import NavigationRequest

with Client("http://127.0.0.1:8100") as client:
    started = client.start(
        NavigationRequest(host_name="demo-host-1", device_id="tv-1", target_node_id="guide"),
        tree_id="simtv",
    )
    view = client.wait(started.execution_id, "demo-host-1")
    print(view.status, view.result.success if view.result else None)
"""

from orchestrator_client.async_client import AsyncClient
from orchestrator_client.errors import OrchestratorError
from orchestrator_client.sync_client import Client

__all__ = ["AsyncClient", "Client", "OrchestratorError"]
