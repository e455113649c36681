"""The lab queue's rows: read a page at a time in dispatch order, claimed many in one call."""

import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from proxy_service.lab import SqlLabStore, open_lab_store, store_url
from proxy_service.lab.queue_rows import LabRequestRow


@pytest.fixture
async def store(database_url: str, tmp_path: Path) -> AsyncIterator[SqlLabStore]:
    opened = open_lab_store(store_url(database_url, tmp_path / "proxy.yaml"))
    try:
        yield opened
    finally:
        await opened.close()


async def add(store: SqlLabStore, priority: int = 0) -> LabRequestRow:
    now = time.time()
    return await store.add_request(
        {
            "id": str(uuid.uuid4()),
            "kind": "action",
            "path": "/action/executeBatch",
            "body": {"actions": [{"command": "ok"}]},
            "selector": {"model": "m"},
            "priority": priority,
            "host_name": None,
            "device_id": None,
            "created_at": now,
            "queue_deadline": now + 60,
            "retry_on_infra_failure": False,
            "idempotency_key": None,
            "fingerprint": "f",
        }
    )


async def test_an_added_request_is_answered_as_the_store_keeps_it(store: SqlLabStore) -> None:
    added = await add(store, priority=3)
    assert added == await store.lab_request(added.id)
    assert (added.state, added.attempts, added.excluded) == ("queued", 0, [])


async def test_the_queue_read_page_by_page_is_the_dispatch_order(store: SqlLabStore) -> None:
    rows = [await add(store, priority) for priority in (0, 5, 0, -2, 5, 0, 1)]
    order = await store.queued(100)
    assert [r.id for r in order] == [
        rows[i].id for i in (1, 4, 6, 0, 2, 5, 3)
    ]  # priority, higher first, then arrival
    paged: list[LabRequestRow] = []
    after = None
    while page := await store.queued(2, after):
        paged += page
        after = (page[-1].priority, page[-1].seq)
    assert [r.id for r in paged] == [r.id for r in order]


async def test_claims_of_one_call_take_each_request_and_device_at_most_once(
    store: SqlLabStore,
) -> None:
    first, second, third, fourth = [await add(store) for _ in range(4)]
    assert await store.claim([(first.id, "h", "d1")], "replica-a") == {first.id}
    taken = await store.claim(
        [
            (first.id, "h", "d2"),  # claimed already
            (second.id, "h", "d1"),  # its device is held by the first
            (third.id, "h", "d2"),
            (fourth.id, "h", "d3"),
        ],
        "replica-b",
    )
    assert taken == {third.id, fourth.id}
    assert await store.holding() == {("h", "d1"), ("h", "d2"), ("h", "d3")}
    left = await store.queued(10)
    assert [r.id for r in left] == [second.id]
    claimed = await store.lab_request(third.id)
    assert claimed is not None
    assert (claimed.state, claimed.device_id, claimed.claimed_by, claimed.attempts) == (
        "claimed",
        "d2",
        "replica-b",
        1,
    )
