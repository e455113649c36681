"""The Python client against a real proxy and host: starts, listings, errors, cancel."""

import pytest

from orchestrator_client import AsyncClient, Client, OrchestratorError
from schemas import (
    ActionBatchRequest,
    BlockCall,
    ExecutionEvent,
    ExecutionStatus,
    StandardBlocksRequest,
)
from schemas.events import StepFinishedEvent
from schemas.navigation import NavigationRequest
from tests.stack import Stack


def long_sleep(stack: Stack, device_id: str) -> StandardBlocksRequest:
    return StandardBlocksRequest(
        host_name=stack.host_name,
        device_id=device_id,
        blocks=[BlockCall(name="sleep", params={"seconds": 25})],
    )


def press_home(stack: Stack, device_id: str) -> ActionBatchRequest:
    return ActionBatchRequest.model_validate(
        {
            "host_name": stack.host_name,
            "device_id": device_id,
            "actions": [{"command": "press_key", "params": {"key": "HOME"}}],
        }
    )


def test_hosts_and_devices_are_listed(stack: Stack) -> None:
    with Client(stack.proxy_url) as client:
        assert [h.host_name for h in client.hosts()] == [stack.host_name]
        listing = client.devices()
        assert listing.hosts[0].reachable
        assert "tv-1" in {d.device_id for d in listing.hosts[0].devices}
        assert client.device(stack.host_name, "tv-1").device_id == "tv-1"


def test_the_library_is_listed_and_reloaded_through_the_proxy(stack: Stack) -> None:
    with Client(stack.proxy_url) as client:
        trees = client.library(stack.host_name, "trees")
        summary = client.reload_library(stack.host_name)
    assert [t["id"] for t in trees] == ["simtv", "webtv"]
    assert (summary.trees, summary.problems) == (len(trees), [])
    assert summary.testcases > 0


def test_navigation_started_and_followed_through_its_event_stream(stack: Stack) -> None:
    events: list[ExecutionEvent] = []
    with Client(stack.proxy_url) as client:
        home = client.start(press_home(stack, "tv-1"))  # so the navigation has a step to take
        client.wait(home.execution_id, stack.host_name)
        request = NavigationRequest(
            host_name=stack.host_name, device_id="tv-1", target_node_label="TV Guide"
        )
        started = client.start(request, tree_id="simtv")
        view = client.wait(started.execution_id, stack.host_name, on_event=events.append)
    assert view.status is ExecutionStatus.completed
    assert view.result is not None
    assert view.result.success
    assert any(isinstance(e, StepFinishedEvent) for e in events)
    assert events[-1].type == "status"


async def test_async_client_runs_an_action_batch(stack: Stack) -> None:
    async with AsyncClient(stack.proxy_url) as client:
        started = await client.start(press_home(stack, "tv-2"))
        view = await client.wait(started.execution_id, stack.host_name)
        listing = await client.executions(stack.host_name, device_id="tv-2")
    assert view.status is ExecutionStatus.completed
    page = listing.hosts[0].page
    assert page is not None
    assert started.execution_id in {e.execution_id for e in page.items}


def test_service_errors_carry_the_error_body(stack: Stack) -> None:
    with Client(stack.proxy_url) as client, pytest.raises(OrchestratorError) as caught:
        client.status("no-such-execution", "no-such-host")
    assert caught.value.status_code == 404
    assert caught.value.body.error
    assert "no-such-host" in caught.value.body.message


def test_navigation_needs_its_tree(stack: Stack) -> None:
    request = NavigationRequest(host_name=stack.host_name, device_id="tv-1", target_node_id="x")
    with Client(stack.proxy_url) as client, pytest.raises(TypeError, match="tree_id"):
        client.start(request)


def test_cancel_stops_a_running_execution(stack: Stack) -> None:
    with Client(stack.proxy_url) as client:
        started = client.start(long_sleep(stack, "tv-3"))
        client.status(started.execution_id, stack.host_name)
        client.cancel(started.execution_id, stack.host_name)
        view = client.wait(started.execution_id, stack.host_name, timeout=10)
        assert view.status is ExecutionStatus.cancelled
        with pytest.raises(OrchestratorError) as caught:
            client.cancel(started.execution_id, stack.host_name)
    assert caught.value.status_code == 409


def test_wait_gives_up_at_its_timeout(stack: Stack) -> None:
    with Client(stack.proxy_url) as client:
        started = client.start(long_sleep(stack, "tv-4"))
        try:
            with pytest.raises(TimeoutError):
                client.wait(started.execution_id, stack.host_name, timeout=0.5)
        finally:
            client.cancel(started.execution_id, stack.host_name)
