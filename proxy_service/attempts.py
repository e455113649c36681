"""Attempts: one claimed lab request asked of its host, recorded running, and its end.

The host is asked with the attempt's own Idempotency-Key (`lab/attempt_rows.attempt_key`),
so asking again after a crash or a lost answer finds the execution created the first time,
never a second. Its end is read from the host's feed of finished executions, which the
proxy long-polls (`feed.py`): one call for the ends of many executions, settled in the
transaction that records them in the history. An execution is followed by itself (a
long-poll of its view) only when the feed cannot tell: its host offers no feed (no
journal), or it has not ended through the feed after `FOLLOW_AFTER_S` (a long run, or an
execution the host evicted before the feed was read). Every step is conditional on the
attempt (`lab/attempt_rows.py`), so whichever path or replica sees an end first settles it.
"""

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable

from proxy_service.client import HostClient
from proxy_service.device_health import DeviceHealth
from proxy_service.errors import HostAnsweredError, ProxyError
from proxy_service.hosts import HostRegistry
from proxy_service.lab import LabStore
from proxy_service.lab.attempt_rows import attempt_key
from proxy_service.lab.queue_rows import RUNNING, LabRequestRow
from proxy_service.signals import LabSignals
from schemas import ExecutionAccepted, ExecutionError, ExecutionStatus, ExecutionView, HostStatus

log = logging.getLogger("device_orchestrator.dispatcher")

FOLLOW_WAIT_S = 30.0  # one long-poll of a dispatched execution
FOLLOW_AFTER_S = 30.0  # running this long without an end from the feed: followed by itself
RETRY_S = 2.0  # a host that did not answer is asked again after this


class Attempts:
    def __init__(
        self,
        registry: HostRegistry,
        client: HostClient,
        store: LabStore,
        signals: LabSignals,
        health: DeviceHealth,
        freed: Callable[[], None],
    ) -> None:
        self._registry = registry
        self._client = client
        self._store = store
        self._signals = signals
        self._health = health
        self._freed = freed  # a device is free again: the dispatcher looks at once

    async def dispatch(self, row: LabRequestRow, follow: bool) -> None:
        """Ask the host for the claimed attempt; `follow` its execution when the host's feed
        cannot tell its end."""
        assert row.host_name is not None
        assert row.device_id is not None
        try:
            entry = self._registry.route(row.host_name)
            body = {**row.body, "host_name": row.host_name, "device_id": row.device_id}
            key = attempt_key(row.id, row.attempts).encode()
            _, accepted = await self._client.start(entry, row.path, body, key)
        except HostAnsweredError as exc:
            # The host refused the request for this device (its driver, its library).
            error = ExecutionError(
                code="dispatch_refused",
                message=f"host {row.host_name} refused it for {row.device_id}: "
                f"{exc.body().message}",
                details=exc.body().model_dump(mode="json"),
            )
            await self._end(row, ExecutionStatus.error, error=error)
            return
        except ProxyError as exc:
            entry_offline = self._host_offline(row.host_name)
            log.info("lab request %s: host %s did not take it: %s", row.id, row.host_name, exc)
            # Offline, it cannot have started there: choose another device.
            if entry_offline and await self._store.release_request(row.id, row.attempts):
                self._signals.changed(row.id)
                self._freed()
            return  # else the sweep asks the same host again, with the same key
        await self._started(row, accepted, follow)

    def _host_offline(self, host_name: str) -> bool:
        try:
            return self._registry.status(self._registry.get(host_name)) is HostStatus.offline
        except ProxyError:
            return True

    async def _started(self, row: LabRequestRow, accepted: ExecutionAccepted, follow: bool) -> None:
        execution_id = accepted.execution_id
        changed, cancel = await self._store.request_running(row.id, execution_id, row.attempts)
        if changed:
            self._signals.changed(row.id)
        else:  # settled meanwhile: by another replica's ask, by the feed, or given up
            now = await self._store.lab_request(row.id)
            if now is None or now.host_execution_id != execution_id:
                await self._give_up(row, execution_id)
                return
            if now.state != RUNNING:  # its end was read from the feed before this answer
                return
            cancel = now.cancel_requested  # recorded running by the replica that asked too
        row.state, row.host_execution_id = RUNNING, execution_id
        if cancel:
            await self.cancel_on_host(row)
        if follow:
            await self.follow(row)

    async def _give_up(self, row: LabRequestRow, execution_id: str) -> None:
        """The attempt was given up while its host was asked (back in the queue): the host's
        execution is cancelled, so that only the next attempt runs."""
        with contextlib.suppress(ProxyError):
            late = dataclasses.replace(row, host_execution_id=execution_id)
            if await self.cancel_on_host(late) is not None:
                log.warning(
                    "lab request %s: attempt %d given up; its late start %s on %s cancelled",
                    row.id,
                    row.attempts,
                    execution_id,
                    row.host_name,
                )

    async def cancel_on_host(self, row: LabRequestRow) -> bytes | None:
        """Cancel the attempt's execution on its host; None when it had ended."""
        assert row.host_name is not None
        assert row.host_execution_id is not None
        try:
            entry = self._registry.route(row.host_name)
            return await self._client.cancel(entry, row.host_execution_id)
        except HostAnsweredError as exc:
            if exc.status_code == 409:  # ended meanwhile: its end says how
                return None
            raise

    async def follow(self, row: LabRequestRow) -> None:
        """Long-poll the dispatched execution until it ends; then record how it ended."""
        assert row.host_name is not None
        assert row.host_execution_id is not None
        path = f"/executions/{row.host_execution_id}"
        while True:
            try:
                entry = self._registry.route(row.host_name)
                content = await self._client.execution(entry, path, False, FOLLOW_WAIT_S)
            except HostAnsweredError as exc:
                if exc.status_code == 404:  # evicted, or the host lost its journal
                    error = ExecutionError(
                        code="execution_lost",
                        message=f"host {row.host_name} no longer knows execution "
                        f"{row.host_execution_id}",
                    )
                    await self._end(row, ExecutionStatus.interrupted, error=error)
                    return
                await asyncio.sleep(RETRY_S)  # a fault of the host: ask again
                continue
            except ProxyError:
                await asyncio.sleep(RETRY_S)  # offline or unreachable: it comes back
                continue
            view = ExecutionView.model_validate_json(content)
            if view.status.terminal:
                if await self._health.ended(row, view):
                    self._signals.changed(row.id)
                self._freed()
                return

    async def _end(
        self, row: LabRequestRow, status: ExecutionStatus, *, error: ExecutionError
    ) -> None:
        ended = await self._store.finish_request(
            row.id, row.attempts, status.value, error=error.model_dump(mode="json")
        )
        if ended:
            self._signals.changed(row.id)
        self._freed()
