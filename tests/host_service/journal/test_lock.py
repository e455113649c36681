"""One host per journal: a second process refuses to start and leaves the first unharmed."""

from pathlib import Path

import httpx

from tests.helpers import finished, start, wait_status
from tests.host_service.host_process import host_process, long_action
from tests.processes import free_port, run_to_exit

BATCH = "/host/action/executeBatch"


async def test_a_second_host_on_the_same_journal_exits_2_naming_the_first(
    tmp_path: Path,
) -> None:
    journal = tmp_path / "journal.sqlite3"
    with host_process(tmp_path, journal) as host:
        async with httpx.AsyncClient(base_url=host.url, timeout=30) as client:
            body = {"device_id": "tv-1", "actions": [long_action(0.5)]}
            running = await start(client, BATCH, body)
            await wait_status(client, running, {"running"})

            second = run_to_exit(
                "host_service",
                "--port",
                str(free_port()),
                "--config",
                str(tmp_path / "host.yaml"),
                "--journal",
                str(journal),
            )
            assert second.returncode == 2
            assert f"in use by process {host.process.pid}" in second.stderr
            assert second.stderr.count("\n") == 1

            # The live host's execution was not touched: it ends as it would have.
            view = await finished(client, running)
            assert view["status"] == "completed"
            page = await client.get(
                f"/host/executions/{running}/events", headers={"Accept": "application/json"}
            )
            events = page.json()
            assert [e["seq"] for e in events["events"]] == list(range(1, len(events["events"]) + 1))
