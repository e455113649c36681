"""`AsyncClient`: the proxy's API for asyncio code, over `httpx.AsyncClient`."""

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from pathlib import Path
from typing import Any, TypeVar

import anyio
import httpx
from httpx_sse import SSEError, aconnect_sse
from pydantic import ValidationError

from orchestrator_client import calls
from orchestrator_client.artifacts import destination, partial
from orchestrator_client.errors import OrchestratorError, raise_for_error
from orchestrator_client.following import (
    POLL_WAIT_S,
    EventHandler,
    ViewHandler,
    parse_event,
    settings,
)
from schemas import (
    DeviceListing,
    DeviceView,
    ExecutionAccepted,
    ExecutionEvent,
    ExecutionKind,
    ExecutionListing,
    ExecutionStatus,
    ExecutionView,
    HostView,
    StatusEvent,
)
from schemas.base import StartRequest
from schemas.events import STREAM_END
from schemas.library import LibrarySummary

T = TypeVar("T")


class AsyncClient:
    """Talks to a proxy at `base_url`; `api_key` when the proxy asks for one."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(transport=transport, **settings(base_url, api_key))

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(self, call: calls.Call[T]) -> T:
        return call.parse(await self._http.send(call.request(self._http)))

    async def hosts(self) -> list[HostView]:
        return await self._send(calls.hosts())

    async def devices(self, host_name: str | None = None) -> DeviceListing:
        return await self._send(calls.devices(host_name))

    async def device(self, host_name: str, device_id: str) -> DeviceView:
        return await self._send(calls.device(host_name, device_id))

    async def start(
        self,
        request: StartRequest,
        *,
        tree_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> ExecutionAccepted:
        """Start any kind: the request model picks the route (`tree_id` for navigation).

        Sent with `idempotency_key`, or a fresh one: repeat a start that failed with a 502
        with the same key to get the execution it may have created."""
        return await self._send(calls.start(request, tree_id, idempotency_key))

    async def status(
        self,
        execution_id: str,
        host_name: str | None,
        *,
        wait: float = 0,
        include_logs: bool = False,
    ) -> ExecutionView:
        """One execution's view; `host_name` None for a lab execution's id."""
        return await self._send(calls.status(execution_id, host_name, wait, include_logs))

    async def executions(
        self,
        host_name: str | None = None,
        *,
        kind: ExecutionKind | None = None,
        status: ExecutionStatus | None = None,
        device_id: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> ExecutionListing:
        return await self._send(calls.executions(host_name, kind, status, device_id, offset, limit))

    async def cancel(self, execution_id: str, host_name: str) -> ExecutionView:
        return await self._send(calls.cancel(execution_id, host_name))

    async def junit(
        self, execution_id: str, host_name: str, kind: ExecutionKind = ExecutionKind.campaign
    ) -> str:
        return await self._send(calls.junit(execution_id, host_name, kind))

    async def artifact(self, execution_id: str, name: str, host_name: str | None = None) -> bytes:
        """One artifact's bytes (a screenshot); `host_name` None for a lab execution's id."""
        return await self._send(calls.artifact(execution_id, name, host_name))

    async def download_artifacts(
        self, execution_id: str, folder: Path, host_name: str | None = None
    ) -> list[Path]:
        """Every artifact the execution keeps, streamed into `folder`; the files written."""
        view = await self._send(calls.status(execution_id, host_name))
        await anyio.Path(folder).mkdir(parents=True, exist_ok=True)
        written = []
        for artifact in view.artifacts:
            path = destination(folder, artifact)
            request = calls.artifact(execution_id, artifact.name, host_name).request(self._http)
            response = await self._http.send(request, stream=True)
            try:
                if response.is_error:
                    await response.aread()
                    raise_for_error(response)
                async with await anyio.open_file(partial(path), "wb") as file:
                    async for chunk in response.aiter_bytes():
                        await file.write(chunk)
            finally:
                await response.aclose()
            await anyio.Path(partial(path)).replace(path)
            written.append(path)
        return written

    async def library(self, host_name: str, path: str) -> Any:
        return await self._send(calls.library(host_name, path))

    async def reload_library(self, host_name: str) -> LibrarySummary:
        """Have the host read its definition library again: counts and problems."""
        return await self._send(calls.reload_library(host_name))

    async def events(
        self, execution_id: str, host_name: str, after: int = 0
    ) -> AsyncGenerator[ExecutionEvent]:
        """The execution's events as they happen; ends after the terminal status event."""
        headers = {"Last-Event-ID": str(after)} if after else {}
        path = calls.events_path(execution_id)
        params = {"host_name": host_name}
        async with aconnect_sse(self._http, "GET", path, params=params, headers=headers) as source:
            if source.response.is_error:
                await source.response.aread()
                raise_for_error(source.response)
            async for sse in source.aiter_sse():
                if sse.event == STREAM_END:
                    return  # the service is stopping; what follows is read by polling
                yield parse_event(sse.data)

    async def wait(
        self,
        execution_id: str,
        host_name: str,
        *,
        on_event: EventHandler | None = None,
        on_view: ViewHandler | None = None,
    ) -> ExecutionView:
        """Follow the event stream to the end, then return the final view; poll the status
        route with long-polls instead when the stream cannot be followed. Bound it with
        `asyncio.timeout()`."""
        try:
            async with aclosing(self.events(execution_id, host_name)) as events:
                async for event in events:
                    if on_event is not None:
                        on_event(event)
                    if isinstance(event, StatusEvent) and event.status.terminal:
                        break
        except (httpx.TransportError, OrchestratorError, SSEError, ValidationError):
            pass  # a stream that fails is no reason to fail the wait: long-poll instead
        return await self._poll(execution_id, host_name, on_view)

    async def _poll(
        self,
        execution_id: str,
        host_name: str,
        on_view: Callable[[ExecutionView], None] | None,
    ) -> ExecutionView:
        while True:
            view = await self.status(execution_id, host_name, wait=POLL_WAIT_S)
            if on_view is not None:
                on_view(view)
            if view.status.terminal:
                return view
