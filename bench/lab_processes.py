"""The lab of `bench/lab.py` as real processes on loopback: hosts of simulated TVs and a proxy.

Every host is its own process (`python -m host_service`) with its SQLite journal, at no
device latency (an execution lasts what its actions wait); they start together and each
is waited for until healthy. Always stopped afterwards.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.processes import REPO, free_port, stop_process, wait_until_healthy

UI_MODEL = REPO / "examples" / "ui" / "simtv.yaml"
LIBRARY = REPO / "examples" / "library"
MODEL = "simtv-4k"


@dataclass(frozen=True)
class RunningLab:
    proxy: str  # base URL
    hosts: dict[str, str]  # host name -> base URL
    devices: list[tuple[str, str]]  # (host name, device id)
    pids: dict[str, int]  # "proxy" and each host name -> process id

    def cpu_s(self, *names: str) -> float:
        """CPU seconds (user and system) the named processes used so far, from /proc."""
        total = 0
        for name in names or tuple(self.pids):
            fields = Path(f"/proc/{self.pids[name]}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")


def host_config(folder: Path, name: str, h: int, per_host: int) -> Path:
    tvs = [
        {"id": f"tv-{h}-{i}", "name": f"TV {h}.{i}", "model": MODEL, "driver": "simulated"}
        | {"tags": [f"rack-{i % 5}"], "settings": {"ui_model": str(UI_MODEL)}}
        for i in range(per_host)
    ]
    config = folder / f"{name}.yaml"
    document = {"host_name": name, "library_path": str(LIBRARY), "devices": tvs}
    config.write_text(yaml.safe_dump(document))
    return config


STARTS = 3  # tries of a process that exits before it is healthy (its free port taken meanwhile)


@contextmanager
def processes(
    commands: list[tuple[list[str], str]], env: dict[str, str] | None = None
) -> Iterator[list[tuple[str, int]]]:
    """Start `python -m <args> --port P` for each (args, health path) at once; yield their
    base URLs and process ids once all are healthy; stop them all afterwards."""
    with ExitStack() as stack:

        def launch(args: list[str]) -> tuple[str, subprocess.Popen[bytes]]:
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", *args, "--port", str(port)],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, **(env or {})},
            )
            stack.callback(stop_process, process)
            return f"http://127.0.0.1:{port}", process

        started = [(*launch(args), args, health) for args, health in commands]
        found = []
        for url, process, args, health in started:
            for attempt in range(1, STARTS + 1):
                try:
                    wait_until_healthy(url + health, process, seconds=60)
                    break
                except AssertionError:
                    if process.poll() is None or attempt == STARTS:
                        raise
                    url, process = launch(args)
            found.append((url, process.pid))
        yield found


@contextmanager
def lab(
    folder: Path, hosts: int, per_host: int, database_url: str | None = None
) -> Iterator[RunningLab]:
    names = [f"bench-host-{h}" for h in range(hosts)]
    quiet = ["--log-level", "warning"]
    commands = [
        (
            [
                "host_service",
                *("--config", str(host_config(folder, name, h, per_host))),
                *("--latency-scale", "0", *quiet),
            ],
            "/host/health",
        )
        for h, name in enumerate(names)
    ]
    with processes(commands) as started:
        urls = [url for url, _ in started]
        proxy_config = folder / "proxy.yaml"
        hosts_list = [{"name": n, "url": u} for n, u in zip(names, urls, strict=True)]
        proxy_config.write_text(yaml.safe_dump({"hosts": hosts_list}))
        env = {} if database_url is None else {"PROXY_DATABASE_URL": database_url}
        proxy_command = ["proxy_service", "--config", str(proxy_config), *quiet]
        with processes([(proxy_command, "/server/health")], env) as [(proxy, proxy_pid)]:
            devices = [(n, f"tv-{h}-{i}") for h, n in enumerate(names) for i in range(per_host)]
            pids = {"proxy": proxy_pid} | {
                n: pid for n, (_, pid) in zip(names, started, strict=True)
            }
            yield RunningLab(proxy, dict(zip(names, urls, strict=True)), devices, pids)
