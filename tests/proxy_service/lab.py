"""A lab in one process: a proxy whose host URLs are mounted on in-process hosts."""

import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from asgi_lifespan import LifespanManager

from host_service import HostSettings
from host_service import create_app as create_host
from host_service.state import HostState
from proxy_service import ProxySettings
from proxy_service import create_app as create_proxy
from proxy_service.monitor import HostMonitor
from proxy_service.state import ProxyState
from tests.conftest import TEST_DRIVERS, simulated, write_host_config
from tests.helpers import TERMINAL


class Link(httpx.AsyncBaseTransport):
    """The network between proxy and one host: up, or refusing connections."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None) -> None:
        self.inner = inner
        self.up = inner is not None
        self.calls: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if not self.up or self.inner is None:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Lab:
    client: httpx.AsyncClient  # talks to the proxy
    proxy: ProxyState
    proxy_app: Any
    hosts: dict[str, HostState]
    links: dict[str, Link]  # keyed by host name; "*" catches any other address
    clock: FakeClock = field(default_factory=FakeClock)
    watch: Any = None  # the proxy's LabWatch (/server/watch)

    async def proxy_monitor_round(self) -> None:
        """One round of the proxy's health checks, now rather than at its next interval."""
        monitor = HostMonitor(self.proxy.registry, self.proxy.client, interval_s=0)
        await monitor.check_due()

    def outgoing(self) -> int:
        return sum(len(link.calls) for link in self.links.values())


LabFactory = Callable[..., AbstractAsyncContextManager[Lab]]


@asynccontextmanager
async def in_process_host(
    tmp_path: Path,
    name: str,
    devices: list[dict[str, Any]] | None,
    proxy_transport: httpx.AsyncBaseTransport | None = None,
    **settings: Any,
) -> AsyncIterator[tuple[httpx.AsyncBaseTransport, HostState]]:
    library = tmp_path / f"{name}-library"  # a test that wants one puts it there first
    config = write_host_config(
        tmp_path / f"{name}.yaml",
        devices or [simulated("tv-1"), simulated("tv-2")],
        **({"library_path": str(library)} if library.is_dir() else {}),
    )
    app = create_host(
        HostSettings(
            config_path=config,
            host_name=name,
            **{"latency_scale": 0.01, "gc_tuning": False, **settings},
        ),
        drivers=TEST_DRIVERS,
        proxy_transport=proxy_transport,
    )
    async with LifespanManager(app, startup_timeout=30) as manager:
        yield httpx.ASGITransport(app=manager.app), manager._state["host"]


def lab_factory(tmp_path: Path) -> LabFactory:
    @asynccontextmanager
    async def start(
        hosts: dict[str, list[dict[str, Any]] | None] | None = None,
        down: tuple[str, ...] = (),
        external: tuple[str, ...] = (),
        host_settings: dict[str, Any] | None = None,
        api_key: str | None = None,
        extra_mounts: dict[str, httpx.AsyncBaseTransport] | None = None,
        **proxy_settings: Any,
    ) -> AsyncIterator[Lab]:
        """Hosts named in `down` are configured, but nothing answers at their address;
        `external` ones are configured at `http://<name>`, reached through `extra_mounts`."""
        wanted = hosts if hosts is not None else {"host-1": None, "host-2": None}
        config = tmp_path / "proxy.yaml"
        names = [*wanted, *down, *external]
        config.write_text(
            yaml.safe_dump({"hosts": [{"name": n, "url": f"http://{n}"} for n in names]})
        )
        async with AsyncExitStack() as stack:
            states: dict[str, HostState] = {}
            links: dict[str, Link] = {}
            for name, devices in wanted.items():
                transport, state = await stack.enter_async_context(
                    in_process_host(tmp_path, name, devices, **(host_settings or {}))
                )
                states[name], links[name] = state, Link(transport)
            for name in down:
                links[name] = Link(None)
            links["*"] = Link(None)
            mounts: dict[str, httpx.AsyncBaseTransport] = {
                ("all://" if n == "*" else f"http://{n}"): link for n, link in links.items()
            }
            mounts.update(extra_mounts or {})
            clock = FakeClock()
            settings = ProxySettings(config_path=config, **{"gc_tuning": False, **proxy_settings})
            app = create_proxy(settings, mounts=mounts, clock=clock)
            manager = await stack.enter_async_context(LifespanManager(app, startup_timeout=30))
            headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
            client = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=manager.app),
                    base_url="http://proxy",
                    headers=headers,
                )
            )
            yield Lab(
                client,
                manager._state["proxy"],
                manager.app,
                states,
                links,
                clock,
                manager._state["watch"],
            )

    return start


async def finished_via(
    client: httpx.AsyncClient, host_name: str, execution_id: str, seconds: float = 10
) -> dict[str, Any]:
    """Long-poll through the proxy until the execution is finished."""
    give_up = time.monotonic() + seconds
    wait = 0
    while True:
        response = await client.get(
            f"/server/executions/{execution_id}", params={"host_name": host_name, "wait": wait}
        )
        assert response.status_code == 200, response.text
        view: dict[str, Any] = response.json()
        if view["status"] in TERMINAL:
            return view
        assert time.monotonic() < give_up, f"still {view['status']} after {seconds} s"
        wait = 1
