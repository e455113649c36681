"""What a lab execution's end on a device means for the device and for the request.

An end in `error` (a tooling fault, not a failed test) counts against the device, and
`limit` of them in a row quarantine it (lab/health_rows.py); any other end clears the
count. A request that asked `retry_on_infra_failure` and ended in `error` on its first
device goes back to the queue, never to that device again, when another device matches.
"""

import logging

from proxy_service.inventory import Inventory, matches
from proxy_service.lab import LabStore
from proxy_service.lab.queue_rows import LabRequestRow
from schemas import ExecutionStatus, ExecutionView
from schemas.lab import DeviceSelector

log = logging.getLogger("device_orchestrator.dispatcher")


class DeviceHealth:
    def __init__(self, store: LabStore, inventory: Inventory, limit: int) -> None:
        self._store = store
        self._inventory = inventory
        self._limit = limit

    async def ended(self, row: LabRequestRow, view: ExecutionView, clean: bool = False) -> bool:
        """Count the end; True when the request went back to the queue to run elsewhere.

        `clean`: the device had no errors in a row when the request was claimed, and only
        this request's end can change that; a clean end then has nothing to record."""
        assert row.host_name is not None
        assert row.device_id is not None
        error = view.status is ExecutionStatus.error
        reason = (view.error.code if view.error else None) or view.message
        if (error or not clean) and await self._store.record_outcome(
            row.host_name, row.device_id, error=error, limit=self._limit, reason=reason
        ):
            log.warning("device %s/%s quarantined: %s", row.host_name, row.device_id, reason)
        return await self._retried(row, view)

    async def _retried(self, row: LabRequestRow, view: ExecutionView) -> bool:
        if not row.retries_after(view.status.value):
            return False
        here = f"{row.host_name}/{row.device_id}"
        excluded = {*row.excluded, here}
        selector = DeviceSelector.model_validate(row.selector)
        others = [
            d
            for d in self._inventory.devices()
            if matches(selector, d) and "/".join(d.key) not in excluded
        ]
        if not others or not await self._store.release_request(row.id, exclude=here):
            return False
        log.info("lab request %s ended in error on %s: retried on another device", row.id, here)
        return True
