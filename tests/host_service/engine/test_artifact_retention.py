"""Artifacts live as long as their record: evicted with it, kept across a restart."""

import time
from pathlib import Path
from typing import Any

from tests.conftest import HostFactory, RunningHost, simulated
from tests.helpers import finished, start

CHECKS = "/host/verification/executeBatch"
ABSENT = {"type": "text", "command": "check_text", "params": {"text": "Nothing shows this"}}


async def failing(host: RunningHost) -> dict[str, Any]:
    body = {"device_id": "tv-1", "verifications": [ABSENT]}
    return await finished(host.client, await start(host.client, CHECKS, body))


def gone(path: Path, seconds: float = 5) -> bool:
    """Whether `path` disappears within `seconds` (a thread of the store removes it)."""
    give_up = time.monotonic() + seconds
    while path.exists():
        if time.monotonic() > give_up:
            return False
        time.sleep(0.01)
    return True


async def test_an_evicted_record_takes_its_artifacts_with_it(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "var" / "test-host.artifacts"
    async with host_factory([simulated("tv-1")], retention_max_count=1) as host:
        first = await failing(host)
        url = first["artifacts"][0]["url"]
        assert (folder / first["execution_id"]).is_dir()
        second = await failing(host)  # the count limit evicts the first
        assert (await host.client.get(url)).status_code == 404
        assert gone(folder / first["execution_id"])
        assert (await host.client.get(second["artifacts"][0]["url"])).status_code == 200


async def test_artifacts_are_served_the_same_after_a_restart(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    async with host_factory([simulated("tv-1")]) as host:
        view = await failing(host)
        [artifact] = view["artifacts"]
        before = (await host.client.get(artifact["url"])).content
    folder = tmp_path / "var" / "test-host.artifacts"
    # Left by a host that died between writing a file and journalling it:
    stray_file = folder / view["execution_id"] / "002-verify-0.png"
    stray_file.write_bytes(b"not listed")
    stray_folder = folder / "00000000-0000-0000-0000-000000000000"
    stray_folder.mkdir()
    (stray_folder / "001-main-0.png").write_bytes(b"no record")

    async with host_factory([simulated("tv-1")]) as host:
        after = (await host.client.get(f"/host/executions/{view['execution_id']}")).json()
        assert after["artifacts"] == [artifact]
        assert (await host.client.get(artifact["url"])).content == before
        assert not stray_file.exists()
        assert not stray_folder.exists()


async def test_what_expired_while_the_host_was_down_goes_with_its_files(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    async with host_factory([simulated("tv-1")]) as host:
        view = await failing(host)
    folder = tmp_path / "var" / "test-host.artifacts" / view["execution_id"]
    assert folder.is_dir()
    async with host_factory([simulated("tv-1")], retention_max_age_s=0.001) as host:
        assert (
            await host.client.get(f"/host/executions/{view['execution_id']}")
        ).status_code == 404
        assert gone(folder)


async def test_a_memory_only_host_keeps_artifacts_in_a_folder_it_removes_at_shutdown(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    async with host_factory([simulated("tv-1")], journal="none") as host:
        view = await failing(host)
        root = host.state.artifacts.root
        assert (root / view["execution_id"] / view["artifacts"][0]["name"]).is_file()
        assert (await host.client.get(view["artifacts"][0]["url"])).status_code == 200
        assert not (tmp_path / "var").exists()
    assert not root.exists()
