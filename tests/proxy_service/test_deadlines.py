"""Every proxied call has a deadline: a host that never answers, or answers one byte at a
time, costs a bounded wait; a fan-out listing answers in time and names the slow host."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from asgi_lifespan import LifespanManager

from proxy_service import ProxySettings, create_app
from tests.proxy_service.silent_host import Behaviour, silent_host

FAST = {"connect_timeout_s": 0.5, "read_timeout_s": 0.3, "total_timeout_s": 1.0}


@asynccontextmanager
async def proxy_for(
    tmp_path: Path, behaviour: Behaviour, **settings: Any
) -> AsyncIterator[httpx.AsyncClient]:
    async with silent_host("slow", behaviour) as url:
        config = tmp_path / "proxy.yaml"
        config.write_text(yaml.safe_dump({"hosts": [{"name": "slow", "url": url}]}))
        app = create_app(ProxySettings(config_path=config, gc_tuning=False, **{**FAST, **settings}))
        async with (
            LifespanManager(app, startup_timeout=30) as manager,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app), base_url="http://proxy"
            ) as client,
        ):
            yield client


SLOW = {"host_name": "slow"}
ROUTES = [
    ("/server/devices/tv-1", {}),
    ("/server/executions/abc", {}),
    ("/server/executions/abc", {"wait": 0.5}),  # a long-poll: its wait on top, no more
    ("/server/library/trees", {}),
]


@pytest.mark.parametrize("behaviour", ["silent", "trickle"])
@pytest.mark.parametrize(("path", "extra"), ROUTES)
async def test_a_call_to_a_host_that_never_finishes_its_answer_is_a_504_in_time(
    tmp_path: Path, behaviour: Behaviour, path: str, extra: dict[str, Any]
) -> None:
    async with proxy_for(tmp_path, behaviour) as client:
        began = time.monotonic()
        answer = await client.get(path, params={**SLOW, **extra})
        took = time.monotonic() - began
    assert answer.status_code == 504, answer.text
    assert answer.json()["error"] == "host_timeout"
    assert took < FAST["total_timeout_s"] + extra.get("wait", 0) + 0.5


@pytest.mark.parametrize("accept", ["text/event-stream", "application/json"])
async def test_events_of_a_host_that_never_answers_are_a_504_in_time(
    tmp_path: Path, accept: str
) -> None:
    async with proxy_for(tmp_path, "silent") as client:
        began = time.monotonic()
        answer = await client.get(
            "/server/executions/abc/events", params=SLOW, headers={"Accept": accept}
        )
        took = time.monotonic() - began
    assert answer.status_code == 504, answer.text
    assert took < FAST["connect_timeout_s"] + FAST["read_timeout_s"] + 0.5


@pytest.mark.parametrize("behaviour", ["silent", "trickle"])
@pytest.mark.parametrize("listing", ["/server/devices", "/server/executions"])
async def test_a_fan_out_listing_answers_in_time_and_lists_the_slow_host_as_unreachable(
    tmp_path: Path, behaviour: Behaviour, listing: str
) -> None:
    # The listing's bound is shorter than the call's own deadline: the listing wins.
    bounds = {"fanout_timeout_s": 0.4, "read_timeout_s": 2, "total_timeout_s": 5}
    async with proxy_for(tmp_path, behaviour, **bounds) as client:
        began = time.monotonic()
        answer = await client.get(listing)
        took = time.monotonic() - began
        hosts = (await client.get("/server/hosts")).json()
    assert answer.status_code == 200
    assert took < 1.0
    (slow,) = answer.json()["hosts"]
    assert slow["reachable"] is False
    assert slow["error"]["error"] == "host_timeout"
    assert "0.4 s" in slow["error"]["message"]
    assert hosts[0]["status"] == "online"  # slow is not down
