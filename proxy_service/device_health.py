"""What a lab execution's end on a device means for the device and for the request.

An end in `error` (a tooling fault, not a failed test) counts against the device, and
`limit` of them in a row quarantine it (lab/health_rows.py); any other end clears the
count. A request that asked `retry_on_infra_failure` and ended in `error` on its first
device goes back to the queue, never to that device again, when another device matches.
The rule is a `Judge` (lab/attempt_ends.py): ends read from a host's feed are settled
with it in the store's transaction, and an end seen by following one execution the same.
"""

import logging

from proxy_service.inventory import Inventory, LabDevice, matches
from proxy_service.lab import LabStore
from proxy_service.lab.attempt_ends import AttemptEnd, Judge, Settlement, under_lab_id
from proxy_service.lab.health_rows import Outcome
from proxy_service.lab.queue_rows import QUEUED, LabRequestRow
from schemas import ExecutionStatus, ExecutionView
from schemas.lab import DeviceSelector

log = logging.getLogger("device_orchestrator.dispatcher")


def _retry_exclusion(
    row: LabRequestRow, view: ExecutionView, devices: list[LabDevice]
) -> str | None:
    """The device (`host/device`) to keep the request from when this end sends it back to
    the queue to run elsewhere; None when it ends here."""
    if not row.retries_after(view.status.value):
        return None
    here = f"{row.host_name}/{row.device_id}"
    excluded = {*row.excluded, here}
    selector = DeviceSelector.model_validate(row.selector)
    others = [d for d in devices if matches(selector, d) and "/".join(d.key) not in excluded]
    return here if others else None


class DeviceHealth:
    def __init__(self, store: LabStore, inventory: Inventory, limit: int) -> None:
        self._store = store
        self._inventory = inventory
        self._limit = limit

    def judge(self) -> Judge:
        """The rule of an end, over the devices known now (taken here, on the event loop)."""
        devices, limit = self._inventory.devices(), self._limit

        def judged(row: LabRequestRow, view: ExecutionView) -> Settlement:
            assert row.host_name is not None
            assert row.device_id is not None
            outcome = Outcome(
                row.host_name,
                row.device_id,
                error=view.status is ExecutionStatus.error,
                reason=(view.error.code if view.error else None) or view.message,
                limit=limit,
            )
            return Settlement(view.status.value, _retry_exclusion(row, view, devices), outcome)

        return judged

    async def ended(self, row: LabRequestRow, view: ExecutionView) -> bool:
        """Record the end of a dispatched attempt seen by following its execution, and count
        it against its device, once: back in the queue to run on another device, or ended.
        False when the feed or another follower recorded it already."""
        settlement = self.judge()(row, view)
        settled, quarantined = await self._store.settle_request(
            row.id,
            row.attempts,
            settlement.status,
            view=under_lab_id(view, row.id),
            exclude=settlement.exclude,
            outcome=settlement.outcome,
        )
        if settled is not None:
            self.report(AttemptEnd(row.id, settlement, settled, quarantined))
        return settled is not None

    @staticmethod
    def report(end: AttemptEnd) -> None:
        outcome = end.settlement.outcome
        if end.quarantined:
            log.warning(
                "device %s/%s quarantined: %s", outcome.host_name, outcome.device_id, outcome.reason
            )
        if end.settled == QUEUED:
            log.info(
                "lab request %s ended in error on %s: retried on another device",
                end.request_id,
                end.settlement.exclude,
            )
