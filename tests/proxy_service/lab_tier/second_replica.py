"""Another proxy replica in the test's process: the lab's config and store, its own links
to the same in-process hosts (each replica's calls to a host can be told apart)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from proxy_service import create_app as create_proxy
from proxy_service.state import ProxyState
from tests.proxy_service.lab import FakeClock, Lab, Link


@dataclass
class Replica:
    client: httpx.AsyncClient
    proxy: ProxyState
    links: dict[str, Link]


@asynccontextmanager
async def second_replica(lab: Lab, **settings: Any) -> AsyncIterator[Replica]:
    links = {name: Link(link.inner) for name, link in lab.links.items()}
    mounts: dict[str, httpx.AsyncBaseTransport] = {
        ("all://" if n == "*" else f"http://{n}"): link for n, link in links.items()
    }
    app = create_proxy(
        lab.proxy.settings.model_copy(update=settings), mounts=mounts, clock=FakeClock()
    )
    async with (
        LifespanManager(app, startup_timeout=30) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://replica"
        ) as client,
    ):
        yield Replica(client, manager._state["proxy"], links)
