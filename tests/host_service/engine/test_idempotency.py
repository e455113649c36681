"""Idempotency-Key: a retried start returns the first execution, never a second one."""

from tests.conftest import HostFactory, fake

BATCH = "/host/action/executeBatch"
BODY = {"device_id": "d1", "actions": [{"command": "ok"}]}


async def test_same_key_and_body_returns_the_first_execution(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        headers = {"Idempotency-Key": "nightly-42"}
        first = await host.client.post(BATCH, json=BODY, headers=headers)
        again = await host.client.post(BATCH, json=BODY, headers=headers)
        assert first.status_code == 202
        assert again.status_code == 200
        assert again.json()["execution_id"] == first.json()["execution_id"]
        assert again.headers["location"] == first.headers["location"]
        assert (await host.client.get("/host/executions")).json()["total"] == 1


async def test_same_key_with_another_body_is_422(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        headers = {"Idempotency-Key": "nightly-42"}
        await host.client.post(BATCH, json=BODY, headers=headers)
        other = {"device_id": "d1", "actions": [{"command": "fail"}]}
        response = await host.client.post(BATCH, json=other, headers=headers)
        assert response.status_code == 422
        assert response.json()["error"] == "idempotency_key_reused"
        assert (await host.client.get("/host/executions")).json()["total"] == 1


async def test_different_keys_start_different_executions(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")]) as host:
        a = await host.client.post(BATCH, json=BODY, headers={"Idempotency-Key": "a"})
        b = await host.client.post(BATCH, json=BODY, headers={"Idempotency-Key": "b"})
        assert a.json()["execution_id"] != b.json()["execution_id"]


async def test_a_key_longer_than_200_characters_is_422_naming_the_header(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        longest = await host.client.post(BATCH, json=BODY, headers={"Idempotency-Key": "k" * 200})
        assert longest.status_code == 202
        response = await host.client.post(BATCH, json=BODY, headers={"Idempotency-Key": "k" * 201})
        assert response.status_code == 422
        (detail,) = response.json()["details"]
        assert detail["loc"] == ["header", "idempotency-key"]
        assert "200" in detail["msg"]
        assert (await host.client.get("/host/executions")).json()["total"] == 1
