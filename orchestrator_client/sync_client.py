"""`Client`: the proxy's API for scripts, blocking, over `httpx.Client`."""

import time
from collections.abc import Callable, Generator
from contextlib import closing
from pathlib import Path
from typing import Any, TypeVar

import httpx
from httpx_sse import SSEError, connect_sse
from pydantic import ValidationError

from orchestrator_client import calls
from orchestrator_client.artifacts import destination, partial
from orchestrator_client.errors import OrchestratorError, raise_for_error
from orchestrator_client.following import (
    POLL_WAIT_S,
    EventHandler,
    ViewHandler,
    parse_event,
    remaining,
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


class Client:
    """Talks to a proxy at `base_url`; `api_key` when the proxy asks for one."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = httpx.Client(transport=transport, **settings(base_url, api_key))

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, call: calls.Call[T]) -> T:
        return call.parse(self._http.send(call.request(self._http)))

    def hosts(self) -> list[HostView]:
        return self._send(calls.hosts())

    def devices(self, host_name: str | None = None) -> DeviceListing:
        return self._send(calls.devices(host_name))

    def device(self, host_name: str, device_id: str) -> DeviceView:
        return self._send(calls.device(host_name, device_id))

    def start(
        self,
        request: StartRequest,
        *,
        tree_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> ExecutionAccepted:
        """Start any kind: the request model picks the route (`tree_id` for navigation).

        Sent with `idempotency_key`, or a fresh one: repeat a start that failed with a 502
        with the same key to get the execution it may have created."""
        return self._send(calls.start(request, tree_id, idempotency_key))

    def status(
        self,
        execution_id: str,
        host_name: str | None,
        *,
        wait: float = 0,
        include_logs: bool = False,
    ) -> ExecutionView:
        """One execution's view; `host_name` None for a lab execution's id."""
        return self._send(calls.status(execution_id, host_name, wait, include_logs))

    def executions(
        self,
        host_name: str | None = None,
        *,
        kind: ExecutionKind | None = None,
        status: ExecutionStatus | None = None,
        device_id: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> ExecutionListing:
        return self._send(calls.executions(host_name, kind, status, device_id, offset, limit))

    def cancel(self, execution_id: str, host_name: str) -> ExecutionView:
        return self._send(calls.cancel(execution_id, host_name))

    def junit(
        self, execution_id: str, host_name: str, kind: ExecutionKind = ExecutionKind.campaign
    ) -> str:
        return self._send(calls.junit(execution_id, host_name, kind))

    def artifact(self, execution_id: str, name: str, host_name: str | None = None) -> bytes:
        """One artifact's bytes (a screenshot); `host_name` None for a lab execution's id."""
        return self._send(calls.artifact(execution_id, name, host_name))

    def download_artifacts(
        self, execution_id: str, folder: Path, host_name: str | None = None
    ) -> list[Path]:
        """Every artifact the execution keeps, streamed into `folder`; the files written."""
        view = self._send(calls.status(execution_id, host_name))
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for artifact in view.artifacts:
            path = destination(folder, artifact)
            request = calls.artifact(execution_id, artifact.name, host_name).request(self._http)
            response = self._http.send(request, stream=True)
            try:
                if response.is_error:
                    response.read()
                    raise_for_error(response)
                with partial(path).open("wb") as file:
                    for chunk in response.iter_bytes():
                        file.write(chunk)
            finally:
                response.close()
            partial(path).replace(path)
            written.append(path)
        return written

    def library(self, host_name: str, path: str) -> Any:
        return self._send(calls.library(host_name, path))

    def reload_library(self, host_name: str) -> LibrarySummary:
        """Have the host read its definition library again: counts and problems."""
        return self._send(calls.reload_library(host_name))

    def events(
        self, execution_id: str, host_name: str, after: int = 0, *, timeout: float | None = None
    ) -> Generator[ExecutionEvent]:
        """The execution's events as they happen; ends after the terminal status event.
        `timeout` bounds the whole stream (httpx.ReadTimeout past it)."""
        headers = {"Last-Event-ID": str(after)} if after else {}
        path = calls.events_path(execution_id)
        params = {"host_name": host_name}
        extra = {} if timeout is None else {"timeout": httpx.Timeout(10.0, read=timeout)}
        with connect_sse(
            self._http, "GET", path, params=params, headers=headers, **extra
        ) as source:
            if source.response.is_error:
                source.response.read()
                raise_for_error(source.response)
            for sse in source.iter_sse():
                if sse.event == STREAM_END:
                    return  # the service is stopping; what follows is read by polling
                yield parse_event(sse.data)

    def wait(
        self,
        execution_id: str,
        host_name: str,
        *,
        timeout: float | None = None,
        on_event: EventHandler | None = None,
        on_view: ViewHandler | None = None,
    ) -> ExecutionView:
        """Follow the event stream to the end, then return the final view; poll the status
        route with long-polls instead when the stream cannot be followed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            stream = self.events(execution_id, host_name, timeout=timeout)
            with closing(stream) as events:
                for event in events:
                    if on_event is not None:
                        on_event(event)
                    if isinstance(event, StatusEvent) and event.status.terminal:
                        break
                    remaining(deadline)
        except (httpx.TransportError, OrchestratorError, SSEError, ValidationError):
            pass  # a stream that fails is no reason to fail the wait: long-poll instead
        return self._poll(execution_id, host_name, deadline, on_view)

    def _poll(
        self,
        execution_id: str,
        host_name: str,
        deadline: float | None,
        on_view: Callable[[ExecutionView], None] | None,
    ) -> ExecutionView:
        while True:
            wait = min(POLL_WAIT_S, remaining(deadline))
            view = self.status(execution_id, host_name, wait=wait)
            if on_view is not None:
                on_view(view)
            if view.status.terminal:
                return view
