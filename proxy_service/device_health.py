"""What a lab execution's end on a device means for the device and for the request.

An end in `error` (a tooling fault, not a failed test) counts against the device, and
`limit` of them in a row quarantine it (lab/health_rows.py); any other end clears the
count. A request that asked `retry_on_infra_failure` and ended in `error` on its first
device goes back to the queue, never to that device again, when another device matches.
"""

import logging

from proxy_service.inventory import Inventory, matches
from proxy_service.lab import LabStore
from proxy_service.lab.health_rows import Outcome
from proxy_service.lab.queue_rows import QUEUED, LabRequestRow
from schemas import ExecutionStatus, ExecutionView
from schemas.lab import DeviceSelector

log = logging.getLogger("device_orchestrator.dispatcher")


class DeviceHealth:
    def __init__(self, store: LabStore, inventory: Inventory, limit: int) -> None:
        self._store = store
        self._inventory = inventory
        self._limit = limit

    async def ended(self, row: LabRequestRow, view: ExecutionView, final: bytes) -> bool:
        """Record the end of a dispatched attempt and count it against its device, once
        (every replica follows every request; the first to record it counts it): back in the
        queue to run on another device, or ended with `final` as its view. False when another
        follower recorded it already."""
        assert row.host_name is not None
        assert row.device_id is not None
        here = self._retry_exclusion(row, view)
        outcome = Outcome(
            row.host_name,
            row.device_id,
            error=view.status is ExecutionStatus.error,
            reason=(view.error.code if view.error else None) or view.message,
            limit=self._limit,
        )
        settled, quarantined = await self._store.settle_request(
            row.id, row.attempts, view.status.value, view=final, exclude=here, outcome=outcome
        )
        if quarantined:
            log.warning(
                "device %s/%s quarantined: %s", row.host_name, row.device_id, outcome.reason
            )
        if settled == QUEUED:
            log.info("lab request %s ended in error on %s: retried on another device", row.id, here)
        return settled is not None

    def _retry_exclusion(self, row: LabRequestRow, view: ExecutionView) -> str | None:
        """The device (`host/device`) to keep the request from when this end sends it back to
        the queue to run elsewhere; None when it ends here."""
        if not row.retries_after(view.status.value):
            return None
        here = f"{row.host_name}/{row.device_id}"
        excluded = {*row.excluded, here}
        selector = DeviceSelector.model_validate(row.selector)
        others = [
            d
            for d in self._inventory.devices()
            if matches(selector, d) and "/".join(d.key) not in excluded
        ]
        return here if others else None
