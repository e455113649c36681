"""A whole lab as one ASGI app: a proxy in front of in-process hosts, for fuzzing the proxy.

The proxy reaches its hosts through `mounts=`, so nothing leaves the process: a host
URL that fuzzing registers lands on a transport that refuses every connection.
"""

import shutil
import tempfile
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from starlette.types import ASGIApp, Receive, Scope, Send

from host_service import HostSettings
from host_service import create_app as create_host
from proxy_service import ProxySettings
from proxy_service import create_app as create_proxy
from tests.processes import REPO

EXAMPLES = REPO / "examples"
# The hosts of examples/proxy.yaml, by their configured URL.
DEMO_HOSTS = {
    "http://127.0.0.1:8101": EXAMPLES / "host.yaml",
    "http://127.0.0.1:8102": EXAMPLES / "host-2.yaml",
}


class LateTransport(httpx.AsyncBaseTransport):
    """Refuses connections until the lab's lifespan plugs a started host in."""

    def __init__(self) -> None:
        self.inner: httpx.AsyncBaseTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.inner is None:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


def host_app(config: Path, **settings: Any) -> ASGIApp:
    """A host on a demo config, with executions in memory only and fast simulated TVs."""
    defaults: dict[str, Any] = {"latency_scale": 0.001, "gc_tuning": False}
    return create_host(HostSettings(config_path=config, journal="none", **{**defaults, **settings}))


class LabApp:
    """Starts the hosts, then the proxy, in its own lifespan; serves the proxy."""

    def __init__(self, **proxy_settings: Any) -> None:
        self.hosts = {url: host_app(config) for url, config in DEMO_HOSTS.items()}
        self.links = {url: LateTransport() for url in DEMO_HOSTS}
        mounts: dict[str, httpx.AsyncBaseTransport] = {**self.links, "all://": LateTransport()}
        # A lab store of its own, emptied after each lifespan: what one run registers must
        # not be there for the next (nor in the repo's examples/var/).
        self.store_folder = Path(tempfile.mkdtemp(prefix="fuzz-lab-store-"))
        settings = ProxySettings(
            config_path=EXAMPLES / "proxy.yaml",
            database_url=f"sqlite:///{self.store_folder / 'lab.sqlite3'}",
            **proxy_settings,
        )
        self.proxy = create_proxy(settings, mounts=mounts)
        self._serving: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        assert self._serving is not None, "the lab's lifespan has not started"
        await self._serving(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        async with AsyncExitStack() as stack:
            await receive()  # lifespan.startup
            for url, app in self.hosts.items():
                manager = await stack.enter_async_context(LifespanManager(app, startup_timeout=30))
                self.links[url].inner = httpx.ASGITransport(app=manager.app)
            proxy = await stack.enter_async_context(LifespanManager(self.proxy, startup_timeout=30))
            self._serving = proxy.app
            await send({"type": "lifespan.startup.complete"})
            await receive()  # lifespan.shutdown
            self._serving = None
            for link in self.links.values():
                link.inner = None
        shutil.rmtree(self.store_folder, ignore_errors=True)
        await send({"type": "lifespan.shutdown.complete"})
