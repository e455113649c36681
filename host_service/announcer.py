"""Registration with a proxy and heartbeats, in a background task of the host lifespan.

The proxy being down never stops the host: failures are logged and retried at
the next beat. A heartbeat answered 404 (the proxy restarted and forgot us)
leads to registering again.
"""

import asyncio
import logging

import httpx

from host_service.devices import DeviceCatalog
from host_service.leases import DeviceLeases
from host_service.registry import ExecutionRegistry
from schemas import ErrorBody, HostDevice, HostHeartbeat, HostRegistration

log = logging.getLogger("host_service.announcer")


class ProxyRefusedError(Exception):
    """The proxy answered with an error; the message is the proxy's own, not the status."""

    def __init__(self, response: httpx.Response) -> None:
        try:
            message = ErrorBody.model_validate_json(response.content).message
        except ValueError:
            message = response.text[:300]
        super().__init__(f"{response.status_code} {response.reason_phrase}: {message}")


class ProxyAnnouncer:
    def __init__(
        self,
        client: httpx.AsyncClient,
        host_name: str,
        advertised_url: str,
        devices: DeviceCatalog,
        leases: DeviceLeases,
        registry: ExecutionRegistry,
    ) -> None:
        self._client = client
        self._host_name = host_name
        self._url = advertised_url
        self._devices = devices
        self._leases = leases
        self._registry = registry
        self.registered = False

    def _devices_now(self) -> list[HostDevice]:
        views = (self._devices.view(d, self._leases, self._registry) for d in self._devices)
        return [
            HostDevice(device_id=v.device_id, name=v.name, model=v.model, state=v.state)
            for v in views
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
        if response.is_error:
            raise ProxyRefusedError(response)
        self.registered = True

    async def try_beat(self) -> bool:
        try:
            await self.beat()
        except ProxyRefusedError as exc:
            log.warning("proxy %s refused this host: %s", self._client.base_url, exc)
            return False
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("cannot reach proxy %s: %r", self._client.base_url, exc)
            return False
        return True

    async def run(self, interval_s: float) -> None:
        while True:
            await asyncio.sleep(interval_s)
            await self.try_beat()
