"""HostWatch: one host's devices as the lab watch shows them, kept current.

Every `refresh_s` (and at once when something it follows changes) it reads the host's
devices (`GET /host/devices`, as the fan-out does); each busy device's execution is
followed through its event stream, so progress and status changes arrive as they
happen rather than at the next reading. A stream that breaks is a reason to read the
host again at once: a killed host is unreachable, and its devices offline, within
one connection attempt.
"""

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime

from proxy_service.client import HostClient
from proxy_service.errors import ProxyError
from proxy_service.hosts import HostEntry, HostRegistry
from proxy_service.watch.budget import FollowBudget
from proxy_service.watch.follower import follow
from schemas import DeviceState, DeviceView, ErrorBody
from schemas.watch import WatchDevice, WatchExecution, WatchHost, WatchHostState

Publish = Callable[[str, str], None]
COALESCE_S = 0.05  # progress of one device is sent at most this often
MIN_GAP_S = 0.05  # a burst of starts reads the host once per gap, not once per start


def device_of(view: DeviceView, execution: WatchExecution | None) -> WatchDevice:
    return WatchDevice(
        host_name=view.host_name,
        device_id=view.device_id,
        name=view.name,
        model=view.model,
        driver=view.driver,
        # DeviceView gains `tags` with the lab tier (issue 14); until then there are none.
        tags=list(getattr(view, "tags", None) or []),
        state=view.state,
        offline_since=view.offline_since,
        queue_length=view.queue_length,
        current_execution_id=view.current_execution_id,
        current_node=view.current_node,
        execution=execution,
    )


class HostWatch:
    def __init__(
        self,
        name: str,
        registry: HostRegistry,
        client: HostClient,
        budget: FollowBudget,
        publish: Publish,
        refresh_s: float,
    ) -> None:
        self.name = name
        self._registry = registry
        self._client = client
        self._budget = budget
        self._publish = publish
        self._refresh_s = refresh_s
        status = registry.view(registry.get(name)).status
        self.state = WatchHostState(host_name=name, status=status, reachable=False)
        self.devices: dict[str, WatchDevice] = {}
        self._executions: dict[str, WatchExecution] = {}  # by device, from its follower
        self._followers: dict[str, asyncio.Task[None]] = {}  # by execution id
        self._given_up: set[str] = set()  # executions whose stream failed: read, not followed
        self._dirty: set[str] = set()
        self._flush: asyncio.TimerHandle | None = None
        self._wake = asyncio.Event()
        self.read_once = asyncio.Event()

    def host(self) -> WatchHost:
        return WatchHost(**self.state.model_dump(), devices=list(self.devices.values()))

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        try:
            while True:
                self._wake.clear()
                await self.refresh()
                self.read_once.set()
                await asyncio.sleep(MIN_GAP_S)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._refresh_s - MIN_GAP_S):
                        await self._wake.wait()
        finally:
            for task in self._followers.values():
                task.cancel()
            await asyncio.gather(*self._followers.values(), return_exceptions=True)
            if self._flush is not None:
                self._flush.cancel()

    async def refresh(self) -> None:
        try:
            entry = self._registry.route(self.name)  # an offline host is not called, as in fan-out
            views = await self._client.devices(entry)
        except ProxyError as exc:
            self._unreachable(exc.body())
            return
        view = self._registry.view(entry)
        self._set_state(
            WatchHostState(
                host_name=self.name,
                status=view.status,
                reachable=True,
                last_heartbeat=view.last_heartbeat,
                last_seen=view.last_seen,
            )
        )
        seen = {v.device_id for v in views}
        for gone in set(self.devices) - seen:
            del self.devices[gone]
        for device_view in views:
            self._read(device_view)
        self._follow(entry, [v for v in views if v.state is DeviceState.busy])

    def _read(self, view: DeviceView) -> None:
        shown = self._executions.get(view.device_id)
        if shown is None or shown.execution_id != view.current_execution_id:
            self._executions.pop(view.device_id, None)
            shown = None
        device = device_of(view, shown)
        if self.devices.get(view.device_id) != device:
            self.devices[view.device_id] = device
            self._send_device(device)

    def _follow(self, entry: HostEntry, busy: list[DeviceView]) -> None:
        wanted = {v.current_execution_id: v.device_id for v in busy if v.current_execution_id}
        for execution_id in list(self._followers):
            if execution_id not in wanted:
                self._followers.pop(execution_id).cancel()
        self._given_up &= set(wanted)
        for execution_id, device_id in wanted.items():
            if execution_id in self._followers or execution_id in self._given_up:
                continue
            if not self._budget.take():
                return  # the rest are shown as read, every refresh_s
            task = asyncio.create_task(
                self._run_follower(entry, execution_id, device_id), name=f"watch-{self.name}"
            )
            # A done callback, not a `finally`: a task cancelled before it ran has none.
            task.add_done_callback(lambda _: self._budget.give_back())
            self._followers[execution_id] = task

    async def _run_follower(self, entry: HostEntry, execution_id: str, device_id: str) -> None:
        def report(shown: WatchExecution) -> None:
            self._executions[device_id] = shown
            device = self.devices.get(device_id)
            if device is not None and device.current_execution_id == execution_id:
                self.devices[device_id] = device.model_copy(update={"execution": shown})
                self._mark(device_id)

        if not await follow(self._client, entry, execution_id, report):
            self._given_up.add(execution_id)
        del self._followers[execution_id]
        self.wake()  # it ended, or its host failed: the device's state moved

    def _unreachable(self, error: ErrorBody) -> None:
        state = self.state.model_copy(update={"reachable": False, "error": error})
        with contextlib.suppress(ProxyError):  # forgotten: the lab watch drops it next round
            view = self._registry.view(self._registry.get(self.name))
            state = WatchHostState(
                host_name=self.name,
                status=view.status,
                reachable=False,
                error=error,
                last_heartbeat=view.last_heartbeat,
                last_seen=view.last_seen,
            )
        self._set_state(state)
        for execution_id in list(self._followers):
            self._followers.pop(execution_id).cancel()
        self._executions.clear()
        now = datetime.now(UTC)
        for device_id, device in list(self.devices.items()):
            if device.state is DeviceState.offline and device.execution is None:
                continue
            offline = device.model_copy(
                update={
                    "state": DeviceState.offline,
                    "offline_since": device.offline_since or now,
                    "current_execution_id": None,
                    "execution": None,
                }
            )
            self.devices[device_id] = offline
            self._send_device(offline)

    def _set_state(self, state: WatchHostState) -> None:
        if state != self.state:
            self.state = state
            self._publish("host", state.model_dump_json())

    def _send_device(self, device: WatchDevice) -> None:
        self._dirty.discard(device.device_id)
        self._publish("device", device.model_dump_json())

    def _mark(self, device_id: str) -> None:
        """Progress is sent once per COALESCE_S: a replayed log passes by unseen."""
        self._dirty.add(device_id)
        if self._flush is None:
            self._flush = asyncio.get_running_loop().call_later(COALESCE_S, self._send_dirty)

    def _send_dirty(self) -> None:
        self._flush = None
        for device_id in list(self._dirty):
            device = self.devices.get(device_id)
            if device is not None:
                self._send_device(device)
        self._dirty.clear()
