"""After a stop, no step shows `running` or `pending`: the same in every kind."""

from typing import Any

import pytest

from tests.conftest import HostFactory, fake
from tests.helpers import finished, start
from tests.host_service.kinds.testcase.graphs import graph_of, inline

GATE = {"command": "gate"}

# kind -> (start path, body, the id of its first step)
STARTS: dict[str, tuple[str, dict[str, Any], str]] = {
    "action": ("/host/action/executeBatch", {"actions": [GATE, {"command": "ok"}]}, "main-0"),
    "verification": (
        "/host/verification/executeBatch",
        {
            "verifications": [
                {"type": "flag", "command": "wait_for_flag", "timeout_s": 60},
                {"type": "flag", "command": "wait_for_flag"},
            ]
        },
        "verify-0",
    ),
    "block": (
        "/host/builder/execute",
        {
            "blocks": [
                {"name": "sleep", "params": {"seconds": 60}},
                {"name": "log_message", "params": {"message": "x"}},
            ]
        },
        "block-0",
    ),
    "testcase": (
        "/host/testcase/execute",
        {
            "testcase": inline(
                graph_of(
                    {"id": "a", "type": "action", "actions": [GATE]},
                    {"id": "b", "type": "action", "actions": [{"command": "ok"}]},
                    {"id": "done", "type": "success"},
                    edges=[
                        ("start", "a", "success"),
                        ("a", "b", "success"),
                        ("b", "done", "success"),
                    ],
                )
            )
        },
        "a",
    ),
}


@pytest.mark.parametrize("kind", list(STARTS))
@pytest.mark.parametrize("stop", ["cancel", "deadline"])
async def test_unfinished_steps_end_cancelled_or_skipped(
    host_factory: HostFactory, kind: str, stop: str
) -> None:
    path, body, first = STARTS[kind]
    async with host_factory([fake("d1")]) as host:
        extra = {"timeout_s": 0.3} if stop == "deadline" else {}
        execution_id = await start(host.client, path, {"device_id": "d1", **body, **extra})
        await host.wait_step(execution_id, first, "running")
        if stop == "cancel":
            assert (await host.client.post(f"/host/executions/{execution_id}/cancel")).is_success
        view = await finished(host.client, execution_id)
    assert view["status"] == ("cancelled" if stop == "cancel" else "timed_out")
    states = [s["state"] for s in view["steps"]]
    assert states[0] == "cancelled"
    assert states[1:] == ["skipped"] * (len(states) - 1)
