"""Each client method as one request description, shared by the sync and async clients."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx
from pydantic import TypeAdapter

from orchestrator_client.errors import raise_for_error
from schemas import (
    DeviceListing,
    DeviceView,
    ExecutionAccepted,
    ExecutionKind,
    ExecutionListing,
    ExecutionStatus,
    ExecutionView,
    HostView,
)
from schemas.base import StartRequest
from schemas.kinds import START_ROUTES
from schemas.library import LibrarySummary

T = TypeVar("T")
PREFIX = "/server"
_HOSTS: TypeAdapter[list[HostView]] = TypeAdapter(list[HostView])
_ROUTES = {route.request_model: route for route in START_ROUTES.values()}


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def request(self, client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        params = {k: v for k, v in self.params.items() if v is not None}
        return client.build_request(
            self.method, self.path, params=params, json=self.json, headers=self.headers
        )


def _model(model: type[T]) -> Callable[[httpx.Response], T]:
    return _adapted(TypeAdapter(model))


def _adapted(adapter: TypeAdapter[T]) -> Callable[[httpx.Response], T]:
    def parse(response: httpx.Response) -> T:
        raise_for_error(response)
        return adapter.validate_json(response.content)

    return parse


def _text(response: httpx.Response) -> str:
    raise_for_error(response)
    return response.text


def _json(response: httpx.Response) -> Any:
    raise_for_error(response)
    return response.json()


def hosts() -> Call[list[HostView]]:
    return Call("GET", f"{PREFIX}/hosts", _adapted(_HOSTS))


def devices(host_name: str | None) -> Call[DeviceListing]:
    return Call("GET", f"{PREFIX}/devices", _model(DeviceListing), {"host_name": host_name})


def device(host_name: str, device_id: str) -> Call[DeviceView]:
    path = f"{PREFIX}/devices/{device_id}"
    return Call("GET", path, _model(DeviceView), {"host_name": host_name})


def start(
    request: StartRequest, tree_id: str | None, idempotency_key: str | None
) -> Call[ExecutionAccepted]:
    route = _ROUTES.get(type(request))
    if route is None:
        raise TypeError(f"{type(request).__name__} is not a start request of any kind")
    values = {"tree_id": tree_id} if tree_id is not None else {}
    missing = [name for name in route.path_params if name not in values]
    if missing:
        raise TypeError(f"starting a {route.kind.value} needs {', '.join(missing)}")
    # Every start carries a key: a start answered 502 may still have created its execution,
    # and sending this call again (same key) then returns it instead of starting another.
    headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
    return Call(
        "POST",
        PREFIX + route.start_path.format(**values),
        _model(ExecutionAccepted),
        json=request.model_dump(mode="json", exclude_unset=True),
        headers=headers,
    )


def status(
    execution_id: str, host_name: str | None, wait: float = 0, include_logs: bool = False
) -> Call[ExecutionView]:
    params = {"host_name": host_name, "wait": wait or None, "include_logs": include_logs or None}
    return Call("GET", f"{PREFIX}/executions/{execution_id}", _model(ExecutionView), params)


def executions(
    host_name: str | None,
    kind: ExecutionKind | None,
    status: ExecutionStatus | None,
    device_id: str | None,
    offset: int,
    limit: int,
) -> Call[ExecutionListing]:
    params = {
        "host_name": host_name,
        "kind": kind,
        "status": status,
        "device_id": device_id,
        "offset": offset,
        "limit": limit,
    }
    return Call("GET", f"{PREFIX}/executions", _model(ExecutionListing), params)


def cancel(execution_id: str, host_name: str) -> Call[ExecutionView]:
    path = f"{PREFIX}/executions/{execution_id}/cancel"
    return Call("POST", path, _model(ExecutionView), {"host_name": host_name})


def junit(
    execution_id: str, host_name: str, kind: ExecutionKind = ExecutionKind.campaign
) -> Call[str]:
    """A campaign's or a testcase's JUnit XML report."""
    path = f"{PREFIX}/{kind.value}/execution/{execution_id}/junit"
    return Call("GET", path, _text, {"host_name": host_name})


def library(host_name: str, path: str) -> Call[Any]:
    return Call("GET", f"{PREFIX}/library/{path.strip('/')}", _json, {"host_name": host_name})


def reload_library(host_name: str) -> Call[LibrarySummary]:
    return Call(
        "POST", f"{PREFIX}/library/reload", _model(LibrarySummary), {"host_name": host_name}
    )


def _content(response: httpx.Response) -> bytes:
    raise_for_error(response)
    return response.content


def artifact(execution_id: str, name: str, host_name: str | None) -> Call[bytes]:
    """One artifact's bytes; `host_name` None for a lab execution's id."""
    return Call("GET", artifact_path(execution_id, name), _content, {"host_name": host_name})


def artifact_path(execution_id: str, name: str) -> str:
    return f"{PREFIX}/executions/{execution_id}/artifacts/{name}"


def events_path(execution_id: str) -> str:
    return f"{PREFIX}/executions/{execution_id}/events"
