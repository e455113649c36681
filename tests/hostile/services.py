"""Service processes on fixed loopback ports: started, killed with -9, restarted, stopped.

A restarted service binds the port it had, so a proxy's config still finds its host.
"""

import os
import subprocess
import sys
from pathlib import Path

from tests.processes import REPO, free_port, kill_process, stop_process, wait_until_healthy


class Service:
    def __init__(
        self, module: str, args: list[str], health_path: str, log: Path, env: dict[str, str]
    ) -> None:
        self.module = module
        self.args = args
        self.health_path = health_path
        self.log = log
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, seconds: float = 20) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", self.module, "--port", str(self.port), *self.args],
                cwd=REPO,
                stdout=sink,
                stderr=sink,
                env={**os.environ, **self.env},
            )
        wait_until_healthy(self.url + self.health_path, self.process, seconds)

    def kill(self) -> None:
        assert self.process is not None
        kill_process(self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)

    def restart(self) -> None:
        self.stop()
        self.start()

    def rss_bytes(self) -> int:
        """Resident memory of the process, from /proc (Linux)."""
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) * 1024
