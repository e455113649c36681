"""The typed host client: one `httpx.AsyncClient` per process, every call bounded.

Each call holds a place in its host's lane (`lanes.py`: quick requests apart from
streams and long-polls) and has a deadline: a non-streaming answer arrives whole within
`PROXY_TOTAL_TIMEOUT_S` (plus a long-poll's own wait), a stream's headers within the
connect and read timeouts. Errors are mapped in `upstream_errors.py`.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, nullcontext
from typing import Any, TypeVar

import httpx
from httpx_aiohttp import AiohttpTransport
from pydantic import BaseModel, TypeAdapter, ValidationError

from proxy_service.collapse import ReadCollapser
from proxy_service.errors import HostAnsweredError
from proxy_service.finished import FinishedViews
from proxy_service.hosts import HostEntry, HostRegistry
from proxy_service.lanes import ConnectionLanes, Lane
from proxy_service.metrics import ProxyMetrics
from proxy_service.settings import ProxySettings
from proxy_service.upstream_errors import bad_answer, mapped_errors
from schemas import DeviceView, ExecutionAccepted, ExecutionPage, ExecutionView, HealthView
from schemas.device_changes import DeviceChanges
from service_common.stopping import Stopping

Model = TypeVar("Model", bound=BaseModel)
DEVICE_LIST = TypeAdapter(list[DeviceView])


class HostClient:
    """Calls registered hosts only: every method takes a `HostEntry` from the registry."""

    def __init__(
        self,
        settings: ProxySettings,
        registry: HostRegistry,
        mounts: Mapping[str, httpx.AsyncBaseTransport] | None = None,
        metrics: ProxyMetrics | None = None,
        stopping: Stopping | None = None,
    ) -> None:
        self._settings = settings
        self._registry = registry
        self._metrics = metrics
        self.stopping = stopping or Stopping()
        self._finished = FinishedViews(settings.finished_cache_size, settings.finished_cache_ttl_s)
        self._collapser = ReadCollapser()
        self.lanes = ConnectionLanes(
            requests_per_host=settings.max_requests_per_host,
            streams_per_host=settings.max_streams_per_host,
            total=settings.max_connections,
        )
        if metrics is not None:
            metrics.watch(self.lanes)
        headers = {"Authorization": f"Bearer {settings.host_token}"} if settings.host_token else {}
        limits = httpx.Limits(
            # The lanes keep calls under max_connections (health checks, one per host, come
            # on top), so the pool itself never makes a call wait.
            max_connections=2 * settings.max_connections,
            max_keepalive_connections=settings.max_keepalive_connections,
            # Below uvicorn's 5 s keep-alive, so an idle connection is dropped here first,
            # not reused just as the host closes it (which would read as a broken host).
            keepalive_expiry=2.0,
        )
        self._http = httpx.AsyncClient(
            timeout=self.timeout(0),
            limits=limits,
            # Still httpx (API, timeouts, exception tree, mounts for tests) on aiohttp's pool,
            # which costs far less per request than httpcore's (see bench/README.md).
            transport=AiohttpTransport(limits=limits, trust_env=False),
            headers=headers,
            mounts=dict(mounts or {}),
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment must not reroute lab traffic
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    def timeout(self, wait: float) -> httpx.Timeout:
        """The read timeout grows by a long-poll's own wait, so a long-poll is not a 504."""
        s = self._settings
        return httpx.Timeout(
            connect=s.connect_timeout_s,
            read=s.read_timeout_s + wait,
            write=s.read_timeout_s,
            pool=s.pool_timeout_s,
        )

    def _answered(self, entry: HostEntry, response: httpx.Response, began: float) -> None:
        if self._metrics is not None:
            self._metrics.answered(entry.name, response.status_code, time.perf_counter() - began)

    async def send(
        self,
        entry: HostEntry,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | Mapping[bytes, bytes] | None = None,
        wait: float = 0,
        timeouts: httpx.Timeout | None = None,
        lane: Lane | None = "requests",
    ) -> httpx.Response:
        """Call `{host}/host{path}`; a host's error answer is raised to be relayed as it is.

        `lane=None` (health checks) bypasses the lanes: one call per host and interval."""
        began = time.perf_counter()
        deadline = self._settings.total_timeout_s + wait
        held = self.lanes.hold(entry.name, lane) if lane else nullcontext()
        with held, mapped_errors(entry, self._registry, self._metrics, deadline):
            async with asyncio.timeout(deadline):
                response = await self._http.request(
                    method,
                    f"{entry.url}/host{path}",
                    params={k: v for k, v in (params or {}).items() if v is not None},
                    json=json,
                    headers=headers,
                    timeout=timeouts or self.timeout(wait),
                )
        self._answered(entry, response, began)
        if response.status_code >= 400:
            raise HostAnsweredError(
                response.status_code, response.content, response.headers.get("content-type")
            )
        return response

    @asynccontextmanager
    async def stream(
        self,
        entry: HostEntry,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """An open streaming answer: headers within the connect and read timeouts, then no
        read timeout (the host sends keep-alives); errors before the first byte are mapped."""
        s = self._settings
        request = self._http.build_request(
            "GET",
            f"{entry.url}/host{path}",
            params={k: v for k, v in (params or {}).items() if v is not None},
            headers=headers,
            timeout=httpx.Timeout(
                connect=s.connect_timeout_s, read=None, write=s.read_timeout_s, pool=None
            ),
        )
        began = time.perf_counter()
        deadline = s.connect_timeout_s + s.read_timeout_s
        with self.lanes.hold(entry.name, "streams"):
            with mapped_errors(entry, self._registry, self._metrics, deadline):
                async with asyncio.timeout(deadline):
                    response = await self._http.send(request, stream=True)
            self._answered(entry, response, began)
            try:
                if response.status_code >= 400:
                    with mapped_errors(entry, self._registry, self._metrics, deadline):
                        async with asyncio.timeout(deadline):
                            content = await response.aread()
                    raise HostAnsweredError(
                        response.status_code, content, response.headers.get("content-type")
                    )
                yield response
            finally:
                await response.aclose()

    @staticmethod
    def validated(model: type[Model], entry: HostEntry, response: httpx.Response) -> Model:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise bad_answer(entry, f"a {model.__name__}", exc) from exc

    async def start(
        self, entry: HostEntry, path: str, body: Any, idempotency_key: bytes | None
    ) -> tuple[int, ExecutionAccepted]:
        # As the client's bytes: a key need not be ASCII, only UTF-8 (checked at the door).
        headers = {b"Idempotency-Key": idempotency_key} if idempotency_key else None
        response = await self.send(entry, "POST", path, json=body, headers=headers)
        return response.status_code, self.validated(ExecutionAccepted, entry, response)

    async def long_poll(
        self,
        entry: HostEntry,
        path: str,
        params: dict[str, Any],
        wait: float,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """A read that may wait on the host; answered at once, unwaited, when we stop."""
        if wait:
            call = self.send(
                entry, "GET", path, params=params, headers=headers, wait=wait, lane="streams"
            )
            done, response = await self.stopping.race(call)
            if done and response is not None:
                return response
        unwaited = {**params, "wait": None}
        return await self.send(entry, "GET", path, params=unwaited, headers=headers)

    async def execution(
        self, entry: HostEntry, path: str, include_logs: bool, wait: float = 0
    ) -> bytes:
        """An `ExecutionView` answer, validated, relayed as the host's own bytes."""
        key = (entry.name, path, include_logs)
        known = self._finished.get(key)
        if known is not None:
            return known

        async def fetch() -> bytes:
            params = {"wait": wait or None, "include_logs": include_logs or None}
            response = await self.long_poll(entry, path, params, wait)
            if self.validated(ExecutionView, entry, response).status.terminal:
                self._finished.keep(key, response.content)
            return response.content

        if wait:
            return await fetch()
        return await self._collapser.read(key, fetch)

    async def cancel(self, entry: HostEntry, execution_id: str) -> bytes:
        response = await self.send(entry, "POST", f"/executions/{execution_id}/cancel")
        self.validated(ExecutionView, entry, response)
        return response.content

    async def executions(self, entry: HostEntry, params: Mapping[str, Any]) -> ExecutionPage:
        response = await self.send(entry, "GET", "/executions", params=params)
        return self.validated(ExecutionPage, entry, response)

    async def devices(self, entry: HostEntry, lane: Lane | None = "requests") -> list[DeviceView]:
        response = await self.send(entry, "GET", "/devices", lane=lane)
        try:
            return DEVICE_LIST.validate_json(response.content)
        except ValidationError as exc:
            raise bad_answer(entry, "a device list", exc) from exc

    async def device_changes(
        self, entry: HostEntry, after: str | None, wait: float
    ) -> DeviceChanges:
        """The host's devices that moved past `after` (all of them without), long-polled."""
        params = {"after": after, "wait": wait or None}
        response = await self.long_poll(entry, "/devices/changes", params, wait)
        return self.validated(DeviceChanges, entry, response)

    async def device(self, entry: HostEntry, device_id: str) -> bytes:
        response = await self.send(entry, "GET", f"/devices/{device_id}")
        self.validated(DeviceView, entry, response)
        return response.content

    @property
    def quick_s(self) -> float:
        """How long a health check may take: a host that takes longer is treated as down."""
        return self._settings.connect_timeout_s

    async def health(self, entry: HostEntry) -> HealthView:
        quick = httpx.Timeout(self.quick_s)
        response = await self.send(entry, "GET", "/health", timeouts=quick, lane=None)
        return self.validated(HealthView, entry, response)
