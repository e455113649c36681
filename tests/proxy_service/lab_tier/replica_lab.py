"""Two proxy replicas on one real PostgreSQL in front of a real host, each a process on loopback.

The host, `host-1`, registers (and heartbeats) through replica `a` only, and neither proxy
has a host in its config: what `b` knows of the host it learnt from the store. Intervals
are short (settings in the environment, as users set them) and simulated latencies scaled
to milliseconds.
"""

import asyncio
import os
import signal
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import yaml

from tests.conftest import LIBRARY, simulated, write_host_config
from tests.hostile.services import Service

DEVICES = ["tv-1", "tv-2", "tv-3", "tv-4"]
PROXY_ENV = {
    "PROXY_HEALTH_INTERVAL_S": "0.5",
    "PROXY_HEARTBEAT_EXPIRY_S": "3",
    "PROXY_FEED_INTERVAL_S": "0.5",
    "PROXY_GC_TUNING": "false",
}
HOST_ENV = {"HOST_HEARTBEAT_INTERVAL_S": "0.5", "HOST_GC_TUNING": "false"}


@dataclass
class ReplicaLab:
    replicas: dict[str, Service]  # "a" and "b"
    hosts: dict[str, Service]  # "host-1", registered through a
    database_url: str

    def url(self, replica: str) -> str:
        return self.replicas[replica].url

    def pid(self, replica: str) -> int:
        process = self.replicas[replica].process
        assert process is not None
        return process.pid

    async def lab_requests(self) -> dict[str, dict[str, Any]]:
        """The store's rows of the lab queue, read as a database client would."""
        async with await psycopg.AsyncConnection.connect(self.database_url) as connection:
            cursor = await connection.execute(
                "SELECT id, state, status, host_name, device_id, host_execution_id, "
                "claimed_by, attempts FROM lab_requests"
            )
            names = [c.name for c in cursor.description or []]
            rows = await cursor.fetchall()
            return {row[0]: dict(zip(names, row, strict=True)) for row in rows}

    async def freeze(self, replica: str) -> None:
        """SIGSTOP a replica, alive but doing nothing, at a moment it is in no transaction
        (a frozen transaction's row locks would hold the others up until the server ends
        it); stopped again and again until the store shows it so."""
        pid = self.pid(replica)
        give_up = time.monotonic() + 5
        while True:
            os.kill(pid, signal.SIGSTOP)
            async with await psycopg.AsyncConnection.connect(self.database_url) as connection:
                busy = await connection.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE application_name LIKE %s AND state <> 'idle'",
                    (f"device-orchestrator-proxy:{pid}%",),
                )
                found = await busy.fetchone()
            if found is not None and found[0] == 0:
                return
            os.kill(pid, signal.SIGCONT)
            assert time.monotonic() < give_up, f"replica {replica} always in a transaction"
            await asyncio.sleep(0.01)  # let it finish the transaction it is in

    def thaw(self, replica: str) -> None:
        os.kill(self.pid(replica), signal.SIGCONT)

    async def host_executions(self) -> dict[str, str]:
        """Every execution each host made (its own list): execution id -> host name."""
        found: dict[str, str] = {}
        async with httpx.AsyncClient(timeout=5) as client:
            for name, host in self.hosts.items():
                page = await client.get(f"{host.url}/host/executions", params={"limit": 500})
                assert page.status_code == 200, page.text
                for item in page.json()["items"]:
                    found[item["execution_id"]] = name
        return found


def wait_online(url: str, host_name: str, seconds: float = 10) -> None:
    """Until the replica at `url` has the host online (polling with a deadline)."""
    give_up = time.monotonic() + seconds
    while True:
        listed = httpx.get(f"{url}/server/hosts", timeout=5).json()
        if any(h["host_name"] == host_name and h["status"] == "online" for h in listed):
            return
        assert time.monotonic() < give_up, f"{host_name} not online at {url}: {listed}"
        time.sleep(0.02)  # polling an observable condition with a deadline


def start_all(services: list[Service]) -> None:
    """Start services side by side (each takes a second or two to import and bind)."""
    with ThreadPoolExecutor(len(services)) as pool:
        for started in [pool.submit(s.start) for s in services]:
            started.result()


@contextmanager
def replica_lab(folder: Path, database_url: str) -> Iterator[ReplicaLab]:
    config = folder / "proxy.yaml"
    config.write_text(yaml.safe_dump({"hosts": []}))
    env = {**PROXY_ENV, "PROXY_DATABASE_URL": database_url}
    replicas = {
        name: Service(
            "proxy_service",
            ["--config", str(config), "--log-level", "warning"],
            "/server/health",
            folder / f"proxy-{name}.log",
            env,
        )
        for name in ("a", "b")
    }
    host_config = write_host_config(
        folder / "host-1.yaml", [simulated(d) for d in DEVICES], library_path=str(LIBRARY)
    )
    args = ["--config", str(host_config), "--host-name", "host-1", "--latency-scale", "0.01"]
    args += ["--journal", str(folder / "host-1.sqlite3"), "--log-level", "warning"]
    host = Service("host_service", args, "/host/health", folder / "host-1.log", HOST_ENV)
    host.args += ["--proxy-url", replicas["a"].url, "--advertised-url", host.url]
    hosts = {"host-1": host}
    with ExitStack() as stack:
        for service in [*replicas.values(), *hosts.values()]:
            stack.callback(service.stop)
        # All at once: a host that finds its replica not up yet registers at its next beat.
        start_all([*replicas.values(), *hosts.values()])
        wait_online(replicas["a"].url, "host-1")
        yield ReplicaLab(replicas, hosts, database_url)


async def wait_for(condition: Callable[[], Awaitable[Any]], what: str, seconds: float = 10) -> Any:
    """Poll an observable condition with a deadline; its first truthy value."""
    give_up = time.monotonic() + seconds
    while not (found := await condition()):
        assert time.monotonic() < give_up, f"not within {seconds} s: {what}"
        await asyncio.sleep(0.02)  # polling an observable condition with a deadline
    return found
