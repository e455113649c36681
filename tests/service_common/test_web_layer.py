"""What both services do alike at the web layer: CORS, browsers' simple requests, the
seed's `builder` status path, and repeated listing filters."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import HostFactory
from tests.helpers import finished
from tests.proxy_service.lab import finished_via, lab_factory

PAGE = "http://dashboard.lab:3000"
HOME = [{"command": "press_key", "params": {"key": "HOME"}}]


@asynccontextmanager
async def service(
    kind: str, tmp_path: Path, host_factory: HostFactory, **cors: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, str, dict[str, Any]]]:
    """A client of the host or of the proxy, its prefix, and what a start body needs."""
    if kind == "host":
        async with host_factory(**cors) as host:
            yield host.client, "/host", {}
    else:
        async with lab_factory(tmp_path)(hosts={"host-1": None}, **cors) as lab:
            yield lab.client, "/server", {"host_name": "host-1"}


KINDS = ["host", "proxy"]


@pytest.mark.parametrize("kind", KINDS)
async def test_cors_allows_the_listed_origin_only(
    kind: str, tmp_path: Path, host_factory: HostFactory
) -> None:
    async with service(kind, tmp_path, host_factory, cors_origins=[PAGE]) as (client, prefix, _):
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,idempotency-key",
        }
        allowed = await client.options(
            f"{prefix}/action/executeBatch", headers={"Origin": PAGE, **preflight}
        )
        other = await client.options(
            f"{prefix}/action/executeBatch", headers={"Origin": "http://evil.example", **preflight}
        )
        read = await client.get(f"{prefix}/executions", headers={"Origin": PAGE})
        foreign = await client.get(
            f"{prefix}/executions", headers={"Origin": "http://evil.example"}
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == PAGE
    assert "idempotency-key" in allowed.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-origin" not in other.headers
    assert read.headers["access-control-allow-origin"] == PAGE
    assert "access-control-allow-origin" not in foreign.headers


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("origin", [None, PAGE, "same"])
@pytest.mark.parametrize("content_type", ["text/plain;charset=UTF-8", None])
async def test_a_json_start_sent_as_a_simple_request_is_accepted_from_trusted_pages(
    kind: str,
    tmp_path: Path,
    host_factory: HostFactory,
    origin: str | None,
    content_type: str | None,
) -> None:
    async with service(kind, tmp_path, host_factory, cors_origins=[PAGE]) as (
        client,
        prefix,
        extra,
    ):
        headers = {} if content_type is None else {"Content-Type": content_type}
        if origin is not None:
            headers["Origin"] = str(client.base_url).rstrip("/") if origin == "same" else origin
        body = httpx.Request(
            "POST", "x", json={"device_id": "tv-1", "actions": HOME, **extra}
        ).content
        request = client.build_request(
            "POST", f"{prefix}/action/executeBatch", content=body, headers=headers
        )
        if content_type is None:
            request.headers.pop("content-type", None)
        answer = await client.send(request)
    assert answer.status_code == 202, answer.text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("content_type", ["text/plain", None, "application/x-www-form-urlencoded"])
async def test_a_simple_request_from_another_origin_is_a_403_naming_it(
    kind: str, tmp_path: Path, host_factory: HostFactory, content_type: str | None
) -> None:
    async with service(kind, tmp_path, host_factory) as (client, prefix, extra):
        body = httpx.Request(
            "POST", "x", json={"device_id": "tv-1", "actions": HOME, **extra}
        ).content
        request = client.build_request(
            "POST",
            f"{prefix}/action/executeBatch",
            content=body,
            headers={
                "Origin": "http://evil.example",
                **({} if content_type is None else {"Content-Type": content_type}),
            },
        )
        if content_type is None:
            request.headers.pop("content-type", None)
        answer = await client.send(request)
        listing = await client.get(f"{prefix}/executions")
    assert answer.status_code == 403
    assert answer.json()["error"] == "origin_not_allowed"
    assert "http://evil.example" in answer.json()["message"]
    pages = listing.json()["hosts"][0]["page"] if prefix == "/server" else listing.json()
    assert pages["total"] == 0


@pytest.mark.parametrize("kind", KINDS)
async def test_the_seeds_builder_status_path_answers_like_block(
    kind: str, tmp_path: Path, host_factory: HostFactory
) -> None:
    async with service(kind, tmp_path, host_factory) as (client, prefix, extra):
        body = {
            "device_id": "tv-1",
            "blocks": [{"name": "log_message", "params": {"message": "hi"}}],
            **extra,
        }
        started = await client.post(f"{prefix}/builder/execute", json=body)
        execution_id = started.json()["execution_id"]
        if prefix == "/host":
            await finished(client, execution_id)
        else:
            await finished_via(client, "host-1", execution_id)
        params = extra
        builder = await client.get(
            f"{prefix}/builder/execution/{execution_id}/status", params=params
        )
        block = await client.get(f"{prefix}/block/execution/{execution_id}/status", params=params)
        action = await client.get(f"{prefix}/action/execution/{execution_id}/status", params=params)
    assert builder.status_code == 200, builder.text
    assert builder.json() == block.json()
    assert action.status_code == 404


@pytest.mark.parametrize("kind", KINDS)
async def test_a_repeated_filter_keeps_executions_with_any_of_its_values(
    kind: str, tmp_path: Path, host_factory: HostFactory
) -> None:
    async with service(kind, tmp_path, host_factory) as (client, prefix, extra):
        ok = await client.post(
            f"{prefix}/action/executeBatch", json={"device_id": "tv-1", "actions": HOME, **extra}
        )
        other = await client.post(
            f"{prefix}/action/executeBatch", json={"device_id": "tv-2", "actions": HOME, **extra}
        )
        for started in (ok, other):
            execution_id = started.json()["execution_id"]
            if prefix == "/host":
                await finished(client, execution_id)
            else:
                await finished_via(client, "host-1", execution_id)
        statuses = [("status", "completed"), ("status", "error"), *extra.items()]
        by_status = await client.get(f"{prefix}/executions", params=statuses)
        one = await client.get(
            f"{prefix}/executions", params=[("device_id", "tv-2"), *extra.items()]
        )

    def total(answer: httpx.Response) -> int:
        page = answer.json()["hosts"][0]["page"] if prefix == "/server" else answer.json()
        return int(page["total"])

    assert total(by_status) == 2  # not only the last value (error: none)
    assert total(one) == 1
