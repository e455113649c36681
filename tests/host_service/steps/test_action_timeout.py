"""An action's own `timeout_s` fails that action, saying so; the execution goes on."""

import asyncio

from tests.conftest import HostFactory, fake, simulated
from tests.helpers import finished, start

BATCH = "/host/action/executeBatch"


async def test_an_action_past_its_timeout_fails_and_the_batch_goes_on(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        body = {
            "device_id": "d1",
            "actions": [{"command": "gate", "timeout_s": 0.05}],  # the gate never opens
            "retry_actions": [{"command": "ok"}],
        }
        view = await finished(host.client, await start(host.client, BATCH, body))
    assert view["status"] == "completed"
    result = view["result"]
    assert result["success"] is True  # the retry list passed
    first, retry = result["results"]
    assert first["success"] is False
    assert "timed out after 0.05 s" in first["message"]
    assert "timeout_s" in first["message"]
    assert (retry["category"], retry["success"]) == ("retry", True)


async def test_a_simulated_app_launch_slower_than_its_timeout_fails(
    host_factory: HostFactory,
) -> None:
    # The seed's report: launch_app with timeout_s 0.1 passed after 0.6 s.
    async with host_factory([simulated("tv-1")], latency_scale=1.0) as host:
        body = {
            "device_id": "tv-1",
            "actions": [
                {"command": "launch_app", "params": {"app": "streamflix"}, "timeout_s": 0.1}
            ],
        }
        view = await finished(host.client, await start(host.client, BATCH, body))
    assert view["status"] == "completed"
    assert view["result"]["success"] is False
    assert view["result"]["results"][0]["duration_ms"] < 500
    assert "timeout_s" in view["result"]["results"][0]["message"]


async def test_the_execution_deadline_still_holds_over_a_longer_action_timeout(
    host_factory: HostFactory,
) -> None:
    async with host_factory([fake("d1")]) as host:
        body = {
            "device_id": "d1",
            "timeout_s": 0.1,
            "actions": [{"command": "gate", "timeout_s": 60}],
        }
        execution_id = await start(host.client, BATCH, body)
        view = await finished(host.client, execution_id)
        assert view["status"] == "timed_out"
        assert view["error"]["code"] == "deadline_exceeded"
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=1)
