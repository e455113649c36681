"""Follow one execution through its host's event stream: what a wall shows of it."""

from collections.abc import Callable

import httpx
from httpx_sse import EventSource, SSEError
from pydantic import ValidationError

from proxy_service.client import HostClient
from proxy_service.errors import ProxyError
from proxy_service.hosts import HostEntry
from schemas import (
    EXECUTION_EVENT,
    ExecutionEvent,
    ExecutionStatus,
    ExecutionView,
    ProgressEvent,
    StatusEvent,
    StepStartedEvent,
)
from schemas.watch import WatchExecution

# Events a wall does not show: read past them without parsing.
_UNSHOWN = frozenset({"log", "truncated", "step_finished"})
Report = Callable[[WatchExecution], None]


def summary(view: ExecutionView) -> WatchExecution:
    steps = {step.id: step.label for step in view.steps}
    return WatchExecution(
        execution_id=view.execution_id,
        kind=view.kind,
        status=view.status,
        progress=view.progress,
        message=view.message,
        current_step=steps.get(view.current_step_id or ""),
        started_at=view.started_at,
    )


def applied(shown: WatchExecution, event: ExecutionEvent) -> WatchExecution:
    """The summary after one event of the execution's log."""
    if isinstance(event, StatusEvent):
        running = event.status is ExecutionStatus.running
        started = shown.started_at or (event.at if running else None)
        return shown.model_copy(
            update={
                "status": event.status,
                "message": event.message or shown.message,
                "started_at": started,
            }
        )
    if isinstance(event, ProgressEvent):
        return shown.model_copy(update={"progress": event.progress, "message": event.message})
    if isinstance(event, StepStartedEvent):
        return shown.model_copy(update={"current_step": event.step.label})
    return shown


async def follow(client: HostClient, entry: HostEntry, execution_id: str, report: Report) -> bool:
    """Report the execution's summary at each change until it ends; False if the host failed.

    The stream replays the log from its start: the summary passes through earlier states
    on the way, which the watch's coalescing of device changes does not show.
    """
    try:
        view = ExecutionView.model_validate_json(
            await client.execution(entry, f"/executions/{execution_id}", include_logs=False)
        )
        shown = summary(view)
        report(shown)
        if view.status.terminal:
            return True
        async with client.stream(
            entry, f"/executions/{execution_id}/events", headers={"Accept": "text/event-stream"}
        ) as response:
            if response.status_code == 204:
                return True  # ended between the two calls
            async for message in EventSource(response).aiter_sse():
                if message.event in _UNSHOWN:
                    continue
                event = EXECUTION_EVENT.validate_json(message.data)
                shown = applied(shown, event)
                report(shown)
                if isinstance(event, StatusEvent) and event.status.terminal:
                    return True
    except (ProxyError, httpx.TransportError, SSEError, ValidationError):
        return False
    return False  # the stream ended before the terminal event: the host went away
