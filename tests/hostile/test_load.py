"""Load through the proxy: two real hosts with 25 simulated TVs each, mixed kinds.

Every execution ends; the journals, the hosts' listings and the proxy's listing agree;
no device runs two executions at once; the hosts' memory comes back near its level.
"""

import time
from pathlib import Path

import httpx
import pytest

from tests.hostile.accounting import (
    host_listing,
    journal_statuses,
    overlaps,
    proxy_listing,
    statuses,
)
from tests.hostile.budget import budget
from tests.hostile.real_lab import real_lab
from tests.hostile.workload import follow_all, start_many

HOSTS = 2
WARM_UP = 100  # imports, worker threads, caches: what a host allocates once, not per execution
# "Near": both rounds leave the hosts retaining the same number of records (retention is set
# to one round), so whatever the second round adds beyond allocator slack grows with load.
NEAR_FRACTION = 0.10


@pytest.mark.timeout(budget().load_seconds)
async def test_every_execution_ends_and_is_recorded_the_same_everywhere(tmp_path: Path) -> None:
    round_size = budget().load_executions // 2
    retained = str(round_size // HOSTS)
    with real_lab(tmp_path, hosts=HOSTS, host_env={"HOST_RETENTION_MAX_COUNT": retained}) as lab:
        async with httpx.AsyncClient(base_url=lab.proxy.url, timeout=30) as client:
            await follow_all(client, await start_many(client, lab.devices, WARM_UP))
            first = await follow_all(client, await start_many(client, lab.devices, round_size))
            before = {name: host.rss_bytes() for name, host in lab.hosts.items()}
            began = time.monotonic()
            started = await start_many(client, lab.devices, round_size)
            accepted_s = time.monotonic() - began
            views = await follow_all(client, started)
            ended_s = time.monotonic() - began
            after = {name: host.rss_bytes() for name, host in lab.hosts.items()}
            listed = await proxy_listing(client)
        hosts = {name: await host_listing(host.url) for name, host in lab.hosts.items()}
        journals = {name: journal_statuses(path) for name, path in lab.journals.items()}

    print(
        f"\nload: 2 x {round_size} executions; the second accepted in {accepted_s:.1f} s "
        f"({round_size / accepted_s:.0f}/s), all ended in {ended_s:.1f} s "
        f"({round_size / ended_s:.0f}/s); host RSS MB after round 1 "
        f"{[b >> 20 for b in before.values()]}, after round 2 {[a >> 20 for a in after.values()]}"
    )
    assert len(first) == len(views) == round_size
    assert {view["status"] for view in [*first.values(), *views.values()]} == {"completed"}
    for item in started:
        assert views[item.execution_id]["kind"] == item.kind.value
        assert views[item.execution_id]["device_id"] == item.device_id
    for name in lab.hosts:
        ours = {item.execution_id for item in started if item.host_name == name}
        assert set(journals[name]) == ours  # the round before was evicted, by retention
        assert statuses(hosts[name]) == journals[name]
        assert statuses(listed[name]) == journals[name]
        assert set(journals[name].values()) == {"completed"}
    assert overlaps(view for listing in hosts.values() for view in listing.values()) == []
    for name in lab.hosts:
        assert after[name] <= before[name] * (1 + NEAR_FRACTION), (name, before, after)
