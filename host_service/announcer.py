"""Registration with a proxy and heartbeats, in a background task of the host lifespan.

The proxy being down never stops the host: failures are logged and retried at
the next beat. A heartbeat answered 404 (the proxy restarted and forgot us)
leads to registering again.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from host_service.engine.device_view import DeviceViews
from host_service.runtime.logs import execution_logger
from host_service.settings import HostSettings
from schemas import HostDevice, HostHeartbeat, HostRegistration

log = execution_logger("announcer")


class ProxyAnnouncer:
    def __init__(
        self,
        client: httpx.AsyncClient,
        host_name: str,
        advertised_url: str,
        devices: DeviceViews,
    ) -> None:
        self._client = client
        self._host_name = host_name
        self._url = advertised_url
        self._devices = devices
        self.registered = False

    def _devices_now(self) -> list[HostDevice]:
        return [
            HostDevice(
                device_id=v.device_id,
                name=v.name,
                model=v.model,
                state=v.state,
                driver=v.driver,
                tags=v.tags,
            )
            for v in self._devices.all()
        ]

    async def beat(self) -> None:
        """Register if not yet registered, else send a heartbeat; raises on failure."""
        if self.registered:
            body = HostHeartbeat(devices=self._devices_now())
            response = await self._client.post(
                f"/server/hosts/{self._host_name}/heartbeat", json=body.model_dump(mode="json")
            )
            if response.status_code == 404:
                self.registered = False
                await self.beat()
                return
        else:
            registration = HostRegistration(
                host_name=self._host_name,
                url=self._url,  # type: ignore[arg-type]  # validated by pydantic
                devices=self._devices_now(),
            )
            response = await self._client.post(
                "/server/hosts/register", json=registration.model_dump(mode="json")
            )
        response.raise_for_status()
        self.registered = True

    async def try_beat(self) -> bool:
        try:
            await self.beat()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("cannot reach proxy %s: %r", self._client.base_url, exc)
            return False
        return True

    async def run(self, interval_s: float) -> None:
        while True:
            await asyncio.sleep(interval_s)
            await self.try_beat()


@asynccontextmanager
async def announcing(
    settings: HostSettings,
    devices: DeviceViews,
    host_name: str,
    transport: httpx.AsyncBaseTransport | None,
) -> AsyncIterator[ProxyAnnouncer | None]:
    """Register with the proxy and heartbeat while the host runs, when a proxy is set."""
    if settings.proxy_url is None or settings.advertised_url is None:
        yield None
        return
    token = settings.proxy_registration_token
    async with httpx.AsyncClient(
        base_url=settings.proxy_url,
        transport=transport,
        timeout=httpx.Timeout(2.0),
        headers={"Authorization": f"Bearer {token}"} if token else {},
        trust_env=False,
    ) as client:
        announcer = ProxyAnnouncer(client, host_name, settings.advertised_url, devices)
        # Registered before serving when the proxy is up; bounded by the client's timeout.
        await announcer.try_beat()
        task = asyncio.create_task(announcer.run(settings.heartbeat_interval_s))
        try:
            yield announcer
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
