"""Bad input the adversarial run found reaching a 500, on host and proxy: each is a 4xx
with the shared error body naming what is wrong, and nothing is created or forwarded."""

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import HostFactory
from tests.proxy_service.lab import lab_factory

HOME = [{"command": "press_key", "params": {"key": "HOME"}}]
QUIET = {"health_interval_s": 3600}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def batch(**extra: Any) -> dict[str, Any]:
    return {"device_id": "tv-1", "actions": HOME, **extra}


# (name, raw JSON body, loc named, words of the message)
BODIES = [
    ("infinity", json.dumps(batch(timeout_s=float("inf"))), ["body", "timeout_s"], "Infinity"),
    ("nan", json.dumps(batch(timeout_s=float("nan"))), ["body", "timeout_s"], "NaN"),
    (
        "surrogate value",
        json.dumps(batch(actions=[{"command": "press_key", "params": {"key": "a\ud800b"}}])),
        ["body", "actions", 0, "params", "key"],
        "UTF-8",
    ),
    (
        "surrogate key",
        json.dumps(batch(actions=[{"command": "press_key", "params": {"\udc80": "x"}}])),
        ["body", "actions", 0, "params"],
        "UTF-8",
    ),
    (
        "5000 digits",
        json.dumps(batch()).replace('"HOME"', "9" * 5000),
        ["body"],
        "digits",
    ),
    ("nested 1000 deep", json.dumps(batch()).replace('"HOME"', nested(1000)), ["body"], "nested"),
    ("nested 200 deep", json.dumps(batch()).replace('"HOME"', nested(200)), ["body"], "nested"),
    (
        "boolean iterator",
        json.dumps(batch(actions=[{**HOME[0], "iterator": True}])),
        ["body", "actions", 0, "iterator"],
        "integer",
    ),
]


def check(answer: httpx.Response, loc: list[Any], words: str) -> None:
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"] == "validation_error"
    assert words in body["message"] + json.dumps(body["details"]), body
    assert body["details"][0]["loc"][: len(loc)] == loc, body


@pytest.mark.parametrize(("name", "raw", "loc", "words"), BODIES, ids=[b[0] for b in BODIES])
async def test_bad_bodies_are_a_422_naming_the_field_on_host_and_proxy(
    tmp_path: Path, host_factory: HostFactory, name: str, raw: str, loc: list[Any], words: str
) -> None:
    json_type = {"content-type": "application/json"}
    async with lab_factory(tmp_path)(**QUIET) as lab, host_factory() as host:
        before = lab.outgoing()
        via_proxy = await lab.client.post(
            "/server/action/executeBatch",
            content=raw.replace('"device_id"', '"host_name": "host-1", "device_id"', 1),
            headers=json_type,
        )
        direct = await host.client.post("/host/action/executeBatch", content=raw, headers=json_type)
        check(via_proxy, loc, words)
        check(direct, loc, words)
        assert lab.outgoing() == before
        assert host.state.registry.page().total == 0


async def test_text_that_is_no_utf8_in_queries_and_headers_is_a_422_naming_it(
    tmp_path: Path, host_factory: HostFactory
) -> None:
    async with lab_factory(tmp_path)(**QUIET) as lab, host_factory() as host:
        before = lab.outgoing()
        for client, prefix in ((lab.client, "/server"), (host.client, "/host")):
            query = await client.get(f"{prefix}/executions?device_id=%ED%A0%80")
            check(query, ["query", "device_id"], "UTF-8")
            header = await client.post(
                f"{prefix}/action/executeBatch",
                json={**batch(), "host_name": "host-1"} if prefix == "/server" else batch(),
                headers={b"Idempotency-Key": b"\xff\xfe-key"},
            )
            check(header, ["header", "idempotency-key"], "UTF-8")
        assert lab.outgoing() == before
        assert host.state.registry.page().total == 0


async def test_a_non_ascii_idempotency_key_passes_through_the_proxy_and_repeats(
    tmp_path: Path,
) -> None:
    key = {b"Idempotency-Key": "clé-ключ-1".encode()}
    body = {**batch(), "host_name": "host-1"}
    async with lab_factory(tmp_path)(**QUIET) as lab:
        first = await lab.client.post("/server/action/executeBatch", json=body, headers=key)
        again = await lab.client.post("/server/action/executeBatch", json=body, headers=key)
    assert first.status_code == 202, first.text
    assert again.status_code == 200, again.text
    assert again.json()["execution_id"] == first.json()["execution_id"]


ROUTES = [
    ("GET", "/server/devices/tv-1"),
    ("GET", "/server/executions/abc"),
    ("GET", "/server/devices"),
    ("GET", "/server/executions"),
    ("POST", "/server/action/executeBatch"),
    ("POST", "/server/executions/abc/cancel"),
    ("GET", "/server/library/trees"),
]


@pytest.mark.parametrize("status", [200, 404])
async def test_a_host_answering_bytes_that_are_no_utf8_is_a_502_or_listed(
    tmp_path: Path, status: int
) -> None:
    def garbage(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/host/health":
            return httpx.Response(200, json={"service": "host", "name": "mad"})
        return httpx.Response(
            status, content=b"\xff\xfe{\x80", headers={"content-type": "application/json"}
        )

    mounts = {"http://mad": httpx.MockTransport(garbage)}
    async with lab_factory(tmp_path)(hosts={}, external=("mad",), extra_mounts=mounts) as lab:
        for method, path in ROUTES:
            body = {**batch(), "host_name": "mad"} if method == "POST" else None
            answer = await lab.client.request(method, path, params={"host_name": "mad"}, json=body)
            assert answer.status_code in {200, 502}, (path, answer.text)
            found = answer.json()
            if answer.status_code == 200:  # a fan-out listing: the host listed with its error
                found = found["hosts"][0]["error"]
            assert found["error"] == "bad_host_answer", (path, found)
            json.dumps(found)  # the details are plain, encodable data
