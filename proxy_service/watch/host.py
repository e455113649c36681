"""HostWatch: one host's devices as the lab watch shows them, kept current.

It follows the host's change feed (`GET /host/devices/changes`): one long-poll at a
time answers as soon as a device moves, with just the devices that moved, so a status
change made anywhere (through this proxy, another one, or on the host directly) shows
within a round trip. After `refresh_s` without a change it reads every device again
(what a host only notices when it looks, such as a driver gone offline while idle).
Each busy device's execution is followed through its event stream, so progress and
steps arrive as they happen. A failed call shows the host unreachable and its devices
offline at once (a killed host: the first connection refused). A host without the feed
(an older one) is read every `refresh_s` and whenever something it follows changes.
"""

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime

from proxy_service.client import HostClient
from proxy_service.errors import HostAnsweredError, ProxyError
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
        tags=view.tags,
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
        moved: Callable[[], None] = lambda: None,
    ) -> None:
        """`moved()` hears of a device taking up or ending an execution."""
        self.name = name
        self._moved = moved
        self._registry = registry
        self._client = client
        self._budget = budget
        self._publish = publish
        self._refresh_s = refresh_s
        status = registry.view(registry.get(name)).status
        self.state = WatchHostState(host_name=name, status=status, reachable=False)
        self.devices: dict[str, WatchDevice] = {}
        self._views: dict[str, DeviceView] = {}  # as the host last reported each device
        self._cursor: str | None = None  # of the change feed; None: read every device next
        self._feed = True  # False for a host without the change feed: read every refresh_s
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
                if self._feed:
                    await self._follow_feed()
                    continue
                await self.refresh()
                self.read_once.set()
                await self._pause()
        finally:
            for task in self._followers.values():
                task.cancel()
            await asyncio.gather(*self._followers.values(), return_exceptions=True)
            if self._flush is not None:
                self._flush.cancel()

    async def _pause(self) -> None:
        """Until `refresh_s` passed or something woke the watch, but at least MIN_GAP_S."""
        await asyncio.sleep(MIN_GAP_S)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._refresh_s - MIN_GAP_S):
                await self._wake.wait()

    async def _follow_feed(self) -> None:
        """One call of the change feed: a full reading without a cursor, else a long-poll."""
        try:
            entry = self._registry.route(self.name)  # an offline host is not called
            wait = self._refresh_s if self._cursor is not None else 0
            page = await self._client.device_changes(entry, self._cursor, wait)
        except ProxyError as exc:
            if isinstance(exc, HostAnsweredError) and exc.status_code == 404:
                self._feed = False  # a host from before the feed: /devices/changes is no device
                return
            self._cursor = None
            self._unreachable(exc.body())
            self.read_once.set()
            await self._pause()
            return
        self._set_reach(True)
        if page.complete:
            self._views = {}
        for view in page.devices:
            self._views[view.device_id] = view
        self._show(entry, page.devices, complete=page.complete)
        self.read_once.set()
        # Nothing moved for refresh_s: read every device next (an idle one may be offline).
        self._cursor = page.cursor if page.devices or page.complete else None
        if page.devices and not page.complete:
            await asyncio.sleep(MIN_GAP_S)  # a burst of changes comes as one answer

    async def refresh(self) -> None:
        """Read every device (`GET /host/devices`): for hosts without the change feed."""
        try:
            entry = self._registry.route(self.name)  # an offline host is not called, as in fan-out
            views = await self._client.devices(entry)
        except ProxyError as exc:
            self._unreachable(exc.body())
            return
        self._set_reach(True)
        self._views = {v.device_id: v for v in views}
        self._show(entry, views, complete=True)

    def _set_reach(self, reachable: bool, error: ErrorBody | None = None) -> None:
        """The host's state: as the registry sees it, and whether the last call answered."""
        state = self.state.model_copy(update={"reachable": reachable, "error": error})
        with contextlib.suppress(ProxyError):  # forgotten: the lab watch drops it next round
            view = self._registry.view(self._registry.get(self.name))
            state = WatchHostState(
                host_name=self.name,
                status=view.status,
                reachable=reachable,
                error=error,
                last_heartbeat=view.last_heartbeat,
                last_seen=view.last_seen,
            )
        if state != self.state:
            self.state = state
            self._publish("host", state.model_dump_json())

    def _show(self, entry: HostEntry, moved: list[DeviceView], *, complete: bool) -> None:
        """Publish the devices that moved and follow the busy devices' executions."""
        if complete:
            for gone in set(self.devices) - set(self._views):
                del self.devices[gone]
        for device_view in moved:
            self._read(device_view)
        self._follow(entry, [v for v in self._views.values() if v.state is DeviceState.busy])

    def _read(self, view: DeviceView) -> None:
        shown = self._executions.get(view.device_id)
        if shown is None or shown.execution_id != view.current_execution_id:
            self._executions.pop(view.device_id, None)
            shown = None
        device = device_of(view, shown)
        known = self.devices.get(view.device_id)
        if known != device:
            self.devices[view.device_id] = device
            self._send_device(device)
            if known is None or known.current_execution_id != device.current_execution_id:
                self._moved()

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
        self._set_reach(False, error)
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
