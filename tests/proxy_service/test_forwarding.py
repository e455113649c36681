"""Every host route through the proxy: same shape, target host named by host_name."""

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from schemas.kinds import START_ROUTES, KindRoute
from tests.conftest import LIBRARY, fake
from tests.helpers import finished
from tests.host_service.fake_driver import FakeDriver
from tests.proxy_service.lab import LabFactory, finished_via

ACTION = "/server/action/executeBatch"
HOME = [{"command": "press_key", "params": {"key": "HOME"}}]


def example_body(route: KindRoute) -> dict[str, Any]:
    examples = route.request_model.model_json_schema().get("examples")
    assert examples, f"{route.request_model.__name__} has no example"
    return dict(examples[0])


def start_path(route: KindRoute, prefix: str) -> str:
    return prefix + route.start_path.format(**{p: "demo" for p in route.path_params})


@pytest.mark.parametrize("kind", list(START_ROUTES), ids=str)
async def test_every_kind_answers_through_the_proxy_as_on_its_host(
    lab: LabFactory, kind: Any
) -> None:
    route = START_ROUTES[kind]
    body = example_body(route)
    async with lab() as running:
        host = running.hosts["host-2"]
        async with httpx.AsyncClient(
            transport=running.links["host-2"].inner, base_url="http://host-2"
        ) as direct_client:
            direct = await direct_client.post(start_path(route, "/host"), json=body)
            proxied = await running.client.post(
                start_path(route, "/server"), json={**body, "host_name": "host-2"}
            )
            assert proxied.status_code == direct.status_code, proxied.text
            if direct.status_code != 202:
                assert proxied.json() == direct.json()
                return
            answer = proxied.json()
            execution_id = answer["execution_id"]
            assert answer["kind"] == kind.value
            assert answer["status_url"] == (
                f"/server/{kind.value}/execution/{execution_id}/status?host_name=host-2"
            )
            assert proxied.headers["location"] == answer["status_url"]
            on_this_host = host.registry.page(limit=500).items
            assert execution_id in {view.execution_id for view in on_this_host}
            via_proxy = await finished_via(running.client, "host-2", execution_id)
            on_host = await finished(direct_client, direct.json()["execution_id"])
            assert via_proxy["status"] == on_host["status"]
            status = await running.client.get(answer["status_url"])
            assert status.status_code == 200
            assert status.json()["status"] == via_proxy["status"]


async def test_start_lands_on_the_named_host_only(lab: LabFactory) -> None:
    async with lab() as running:
        response = await running.client.post(
            ACTION, json={"host_name": "host-1", "device_id": "tv-1", "actions": HOME}
        )
        assert response.status_code == 202, response.text
        execution_id = response.json()["execution_id"]
        view = await finished_via(running.client, "host-1", execution_id)
        assert view["status"] == "completed"
        assert view["host_name"] == "host-1"
        assert running.hosts["host-2"].registry.page().total == 0
        elsewhere = await running.client.get(
            f"/server/executions/{execution_id}", params={"host_name": "host-2"}
        )
        assert elsewhere.status_code == 404  # host-2's own answer, relayed


async def test_host_errors_are_relayed_with_status_and_body(lab: LabFactory) -> None:
    async with lab() as running:
        unknown_device = await running.client.post(
            ACTION, json={"host_name": "host-1", "device_id": "tv-9", "actions": HOME}
        )
        assert unknown_device.status_code == 404
        assert "tv-9" in unknown_device.json()["message"]
        done = await running.client.post(
            ACTION, json={"host_name": "host-1", "device_id": "tv-1", "actions": HOME}
        )
        execution_id = done.json()["execution_id"]
        await finished_via(running.client, "host-1", execution_id)
        cancel = await running.client.post(
            f"/server/executions/{execution_id}/cancel", params={"host_name": "host-1"}
        )
        assert cancel.status_code == 409
        assert set(cancel.json()) == {"error", "message", "details"}


async def test_start_without_host_name_is_a_422_naming_it(lab: LabFactory) -> None:
    async with lab() as running:
        response = await running.client.post(ACTION, json={"device_id": "tv-1", "actions": HOME})
        assert response.status_code == 422
        assert response.json()["details"][0]["loc"] == ["body", "host_name"]


async def test_idempotency_key_reaches_the_host(lab: LabFactory) -> None:
    body = {"host_name": "host-1", "device_id": "tv-1", "actions": HOME}
    async with lab() as running:
        headers = {"Idempotency-Key": "run-42"}
        first = await running.client.post(ACTION, json=body, headers=headers)
        again = await running.client.post(ACTION, json=body, headers=headers)
        assert (first.status_code, again.status_code) == (202, 200)
        assert first.json()["execution_id"] == again.json()["execution_id"]


async def test_an_overlong_idempotency_key_is_refused_before_any_host_sees_it(
    lab: LabFactory,
) -> None:
    body = {"host_name": "host-1", "device_id": "tv-1", "actions": HOME}
    async with lab() as running:
        headers = {"Idempotency-Key": "k" * 201}
        response = await running.client.post(ACTION, json=body, headers=headers)
        assert response.status_code == 422
        assert response.json()["details"][0]["loc"] == ["header", "idempotency-key"]
        listed = await running.client.get("/server/executions", params={"host_name": "host-1"})
        assert listed.json()["hosts"][0]["page"]["total"] == 0


async def test_device_and_status_routes_keep_the_host_shape(lab: LabFactory) -> None:
    async with lab() as running:
        device = await running.client.get("/server/devices/tv-2", params={"host_name": "host-2"})
        assert device.status_code == 200
        assert device.json()["host_name"] == "host-2"
        assert device.json()["commands"]
        started = await running.client.post(
            "/server/verification/executeBatch",
            json={
                "host_name": "host-2",
                "device_id": "tv-2",
                "verifications": [
                    {"type": "screen", "command": "check_screen", "params": {"screen": "home"}}
                ],
            },
        )
        execution_id = started.json()["execution_id"]
        status = await running.client.get(
            f"/server/verification/execution/{execution_id}/status",
            params={"host_name": "host-2", "wait": 5, "include_logs": True},
        )
        assert status.status_code == 200
        assert status.json()["execution_id"] == execution_id
        assert status.json()["logs"] is not None
        wrong_kind = await running.client.get(
            f"/server/action/execution/{execution_id}/status", params={"host_name": "host-2"}
        )
        assert wrong_kind.status_code == 404


async def test_finished_views_are_answered_without_asking_the_host_again(
    lab: LabFactory,
) -> None:
    async with lab(hosts={"host-1": [fake("d1")]}) as running:
        started = await running.client.post(
            ACTION,
            json={"host_name": "host-1", "device_id": "d1", "actions": [{"command": "gate"}]},
        )
        execution_id = started.json()["execution_id"]
        status_url = started.json()["status_url"]
        link = running.links["host-1"]
        calls = len(link.calls)
        while_running = await running.client.get(status_url)
        assert while_running.json()["status"] in ("queued", "running")
        assert len(link.calls) == calls + 1  # not finished: always asked
        driver = running.hosts["host-1"].devices.get("d1").driver
        assert isinstance(driver, FakeDriver)
        driver.gate.set()
        finished = await finished_via(running.client, "host-1", execution_id)
        first = await running.client.get(status_url)
        calls = len(link.calls)
        again = await running.client.get(status_url)
        assert again.json() == first.json()
        assert first.json()["status"] == finished["status"] == "completed"
        assert len(link.calls) == calls  # answered by the proxy
        with_logs = await running.client.get(status_url + "&include_logs=true")
        assert with_logs.json()["logs"] is not None  # another view: asked once
        assert len(link.calls) == calls + 1


@pytest.mark.parametrize(
    "path",
    [
        "/library/blocks",
        "/library/blocks/sleep",
        "/library/trees",
        "/library/testcases",
        "/library/nope",
        "/campaign/execution/00000000-0000-0000-0000-000000000000/junit",
    ],
)
async def test_catalogues_and_reports_are_relayed_as_the_host_answers(
    lab: LabFactory, path: str
) -> None:
    async with (
        lab() as running,
        httpx.AsyncClient(
            transport=running.links["host-1"].inner, base_url="http://host-1"
        ) as direct_client,
    ):
        direct = await direct_client.get("/host" + path)
        proxied = await running.client.get("/server" + path, params={"host_name": "host-1"})
        assert proxied.status_code == direct.status_code
        assert proxied.content == direct.content
        assert proxied.headers["content-type"] == direct.headers["content-type"]


async def test_a_body_that_is_not_text_is_a_422_and_not_forwarded(lab: LabFactory) -> None:
    async with lab() as running:
        before = running.outgoing()
        response = await running.client.post(
            "/server/action/executeBatch",
            content=b'{"device_id": "tv-\xe9"}',
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 422
        assert response.json()["details"][0]["loc"] == ["body"]
        assert running.outgoing() == before


async def test_a_library_reload_through_the_proxy_reaches_the_named_host(
    lab: LabFactory, tmp_path: Path
) -> None:
    root = tmp_path / "host-1-library"
    shutil.copytree(LIBRARY, root)
    async with lab() as running:
        tree = (root / "trees" / "simtv.yaml").read_text().replace("id: simtv", "id: simtv_copy")
        (root / "trees" / "copy.yaml").write_text(tree)
        params = {"host_name": "host-1"}
        before = await running.client.get("/server/library/trees", params=params)
        assert [t["id"] for t in before.json()] == ["simtv", "webtv"]

        reloaded = await running.client.post("/server/library/reload", params=params)
        assert reloaded.status_code == 200
        assert reloaded.json()["trees"] == 3
        after = await running.client.get("/server/library/trees", params=params)
        assert [t["id"] for t in after.json()] == ["simtv", "simtv_copy", "webtv"]
        other = await running.client.post("/server/library/reload", params={"host_name": "nope"})
        assert other.status_code == 404
