"""A journal on a full disk: nothing accepted that is not durable, nothing lost, said once.

The disk is real: a 3 MB tmpfs mounted for the test (the suite runs as root, as CI does).
"""

import asyncio
import logging
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import HostFactory, RunningHost, fake
from tests.helpers import finished

BATCH = "/host/action/executeBatch"
OK = {"device_id": "d1", "actions": [{"command": "ok", "params": {"out": "x" * 2000}}]}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb") as sink:
        try:
            while True:
                sink.write(b"\0" * 65536)
                sink.flush()
        except OSError:
            pass
    return filler


async def listed(host: RunningHost) -> list[str]:
    page = (await host.client.get("/host/executions", params={"limit": 500})).json()
    return [item["execution_id"] for item in page["items"]]


async def until(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Poll an observable condition with a deadline (the writer retries on its own clock)."""
    give_up = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < give_up, "condition never held"
        await asyncio.sleep(0.05)


async def test_a_full_disk_refuses_starts_keeps_outcomes_and_recovers(
    host_factory: HostFactory, small_disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    journal = small_disk / "journal.sqlite3"
    accepted: list[str] = []
    refused: list[str] = []
    async with host_factory([fake("d1")], journal=str(journal)) as host:
        filler = fill(small_disk)
        with caplog.at_level(logging.WARNING, logger="device_orchestrator.journal"):
            for _ in range(300):
                response = await host.client.post(BATCH, json=OK)
                if response.status_code == 202:
                    accepted.append(response.json()["execution_id"])
                    continue
                assert response.status_code == 503, response.text
                assert response.json()["error"] == "journal_unavailable"
                break
            else:
                pytest.fail("the full disk was never noticed")
            health = (await host.client.get("/host/health")).json()
            assert health["status"] == "degraded"
            assert "journal cannot be written" in health["problems"][0]
            in_memory = await listed(host)

            again = await host.client.post(BATCH, json=OK)  # refused before anything is made
            assert (again.status_code, again.json()["error"]) == (503, "journal_unavailable")
            assert await listed(host) == in_memory
            # What the 503 answered was made in memory; it is journalled when the disk recovers.
            refused = [i for i in in_memory if i not in accepted]

            filler.unlink()
            journal_state = host.state.journal
            assert journal_state is not None
            await until(lambda: journal_state.problem() is None)
            health = (await host.client.get("/host/health")).json()
            assert (health["status"], health["problems"]) == ("ok", [])
            for execution_id in accepted + refused:
                await finished(host.client, execution_id)
        said = [r.getMessage() for r in caplog.records]
        assert sum("cannot be written" in line for line in said) == 1
        assert sum("writes again" in line for line in said) == 1

    async with host_factory([fake("d1")], journal=str(journal)) as host:
        for execution_id in accepted + refused:
            view = (await host.client.get(f"/host/executions/{execution_id}")).json()
            assert view["status"] == "completed", view
