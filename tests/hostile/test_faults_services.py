"""Services that die mid-load: a host killed with -9 and restarted, a proxy restarted, a
host that stays down. Every execution ends up accounted for, with clear errors."""

from pathlib import Path

import httpx

from schemas import ExecutionKind
from tests.hostile.accounting import host_listing, journal_statuses, proxy_listing, statuses
from tests.hostile.budget import budget
from tests.hostile.real_lab import real_lab
from tests.hostile.workload import Started, follow, follow_all, start_many

# Each action holds its device for a while, so the kill finds executions queued and running.
SLOW = {"command": "press_key", "params": {"key": "HOME"}, "wait_time_ms": 300}
PROXY_ENV = {"PROXY_HEALTH_INTERVAL_S": "0.2"}


async def start_slow(client: httpx.AsyncClient, host_name: str, device_id: str) -> Started:
    body = {"host_name": host_name, "device_id": device_id, "actions": [SLOW]}
    response = await client.post("/server/action/executeBatch", json=body)
    assert response.status_code == 202, response.text
    return Started(host_name, device_id, ExecutionKind.action, response.json()["execution_id"])


async def test_a_host_killed_and_restarted_and_a_proxy_restarted_lose_nothing(
    tmp_path: Path,
) -> None:
    with real_lab(tmp_path, devices_per_host=5, proxy_env=PROXY_ENV) as lab:
        async with httpx.AsyncClient(base_url=lab.proxy.url, timeout=30) as client:
            quick = await start_many(client, lab.devices, budget().fault_executions)
            done = await follow_all(client, quick)
            slow = [await start_slow(client, "host-1", d) for d in lab.devices["host-1"] * 3]
            running = await client.get(
                f"/server/executions/{slow[0].execution_id}",
                params={"host_name": "host-1", "wait": 5},
            )
            assert running.json()["status"] in {"running", "completed"}
            lab.hosts["host-1"].kill()
            gone = await client.get("/server/devices", params={"host_name": "host-1"})
            down = await client.get("/server/devices/tv-01", params={"host_name": "host-1"})
            lab.hosts["host-1"].start()  # same port, same journal; registers before serving
            lab.proxy.kill()
            lab.proxy.start()
            after = await follow_all(client, [*quick, *slow])
            listed = await proxy_listing(client)
        hosts = {name: await host_listing(host.url) for name, host in lab.hosts.items()}
        journals = {name: journal_statuses(path) for name, path in lab.journals.items()}

    # While host-1 was down: the fan-out listing reports it, a forwarded call is a 502/503.
    assert gone.status_code == 200
    assert not gone.json()["hosts"][0]["reachable"]
    assert down.status_code in {502, 503}
    assert "host-1" in down.json()["message"]
    # Finished before the kill: kept as they were.
    for item in quick:
        assert after[item.execution_id]["status"] == done[item.execution_id]["status"]
    assert {view["status"] for view in done.values()} == {"completed"}
    # Queued or running at the kill: interrupted, saying why.
    interrupted = [after[item.execution_id] for item in slow]
    assert {v["status"] for v in interrupted} <= {"completed", "interrupted"}
    assert any(v["status"] == "interrupted" for v in interrupted)
    for view in interrupted:
        if view["status"] == "interrupted":
            assert view["error"]["code"] == "host_restarted"
    # Nothing lost: every execution started is in its host's journal, listing and the proxy's.
    for name in lab.hosts:
        ours = {i.execution_id for i in [*quick, *slow] if i.host_name == name}
        assert ours <= set(journals[name])
        assert statuses(hosts[name]) == journals[name] == statuses(listed[name])


async def test_a_host_that_stays_down_is_a_clear_error_and_creates_nothing(
    tmp_path: Path,
) -> None:
    with real_lab(tmp_path, devices_per_host=2, proxy_env=PROXY_ENV) as lab:
        async with httpx.AsyncClient(base_url=lab.proxy.url, timeout=30) as client:
            lab.hosts["host-2"].kill()
            body = {"host_name": "host-2", "device_id": "tv-01", "actions": [SLOW]}
            first = await client.post("/server/action/executeBatch", json=body)
            again = await client.post("/server/action/executeBatch", json=body)
            listing = (await client.get("/server/executions")).json()["hosts"]
            alive = await start_slow(client, "host-1", "tv-01")
            view = await follow(client, alive)

    # The first start finds the host gone (502), unless the proxy's health check saw it
    # first (503): which one wins is a race the kill starts.
    assert (first.status_code, first.json()["error"]) in {
        (502, "host_unreachable"),
        (503, "host_offline"),
    }
    assert again.status_code == 503  # known to be down now: refused without waiting
    assert again.json()["error"] == "host_offline"
    for answer in (first, again):
        assert "host-2" in answer.json()["message"]
    by_name = {h["host_name"]: h for h in listing}
    assert not by_name["host-2"]["reachable"]
    assert by_name["host-2"]["error"]["error"] in {"host_unreachable", "host_offline"}
    assert by_name["host-1"]["reachable"]
    assert view["status"] == "completed"
