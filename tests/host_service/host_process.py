"""A host as a real process on 127.0.0.1: for streams, kill -9 and service logs."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import simulated, write_host_config
from tests.processes import REPO, free_port, kill_process, stop_process, wait_until_healthy


class HostProcess:
    def __init__(
        self, config: Path, journal: Path, log: Path, env: dict[str, str], args: tuple[str, ...]
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("ab") as sink:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "host_service",
                    "--port",
                    str(self.port),
                    "--config",
                    str(config),
                    "--journal",
                    str(journal),
                    "--latency-scale",
                    "0.01",
                    *args,
                ],
                cwd=REPO,
                stdout=sink,
                stderr=sink,
                env={**os.environ, **env},
            )
        wait_until_healthy(self.url + "/host/health", self.process)

    def kill(self) -> None:
        kill_process(self.process)

    def stop(self) -> None:
        stop_process(self.process)


@contextmanager
def host_process(
    tmp_path: Path, journal: Path | None = None, args: tuple[str, ...] = (), **env: str
) -> Iterator[HostProcess]:
    """A host with two simulated TVs (tv-1, tv-2), `args` added to its command line; its
    output goes to tmp_path/host.log."""
    config = write_host_config(tmp_path / "host.yaml", [simulated("tv-1"), simulated("tv-2")])
    journal = journal or tmp_path / "journal.sqlite3"
    host = HostProcess(config, journal, tmp_path / "host.log", env, args)
    try:
        yield host
    finally:
        host.stop()


def long_action(seconds: float = 60) -> dict[str, object]:
    """An action that keeps its device running until cancelled or killed."""
    return {
        "command": "press_key",
        "params": {"key": "HOME"},
        "wait_time_ms": int(seconds * 1000),
    }
