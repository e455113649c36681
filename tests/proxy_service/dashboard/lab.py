"""The dashboard's lab as real processes on loopback: a proxy, the two demo hosts and a
spare host (the one a test kills), each host with the demo devices and a test library."""

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.processes import REPO, free_port, stop_process, wait_until_healthy

EXAMPLES = REPO / "examples"
DEMO_HOSTS = {"demo-host-1": EXAMPLES / "host.yaml", "demo-host-2": EXAMPLES / "host-2.yaml"}
SPARE_HOST = "spare-host"
LATENCY_SCALE = "0.05"

# Besides the example library: a testcase that pauses as long as its input says, so a test
# sees it running, and a campaign of two long pauses to cancel.
WATCHED = {
    "id": "watched_guide",
    "name": "Guide, with a pause to watch",
    "inputs": [{"name": "pause_s", "type": "number", "default": 0.1}],
    "graph": {
        "nodes": [
            {"id": "start", "type": "start"},
            {"id": "guide", "type": "navigation", "label": "Navigate to the guide",
             "tree_id": "simtv", "target_node_id": "guide"},
            {"id": "pause", "type": "block", "label": "Pause", "block": "sleep",
             "params": {"seconds": "{pause_s}"}},
            {"id": "listings", "type": "verification", "label": "Today's listings show",
             "verifications": [{"type": "text", "command": "wait_for_text_to_appear",
                                "params": {"text": "Today"}, "timeout_s": 3}]},
            {"id": "passed", "type": "success", "message": "the guide shows today"},
            {"id": "failed", "type": "failure"},
        ],
        "edges": [
            {"source": "start", "target": "guide"},
            {"source": "guide", "target": "pause"},
            {"source": "guide", "target": "failed", "outcome": "failure"},
            {"source": "pause", "target": "listings"},
            {"source": "listings", "target": "passed"},
            {"source": "listings", "target": "failed", "outcome": "failure"},
        ],
    },
}  # fmt: skip
# A check that fails (its screenshot is kept), then a pause before the run ends failed.
SHOT_THEN_PAUSE = {
    "id": "shot_then_pause",
    "name": "A failed check, then a pause",
    "inputs": [{"name": "pause_s", "type": "number", "default": 1.5}],
    "graph": {
        "nodes": [
            {"id": "start", "type": "start"},
            {"id": "missing", "type": "verification", "label": "8K is listed",
             "verifications": [{"type": "text", "command": "wait_for_text_to_appear",
                                "params": {"text": "8K"}, "timeout_s": 0.2}]},
            {"id": "pause", "type": "block", "label": "Pause", "block": "sleep",
             "params": {"seconds": "{pause_s}"}},
            {"id": "passed", "type": "success"},
            {"id": "failed", "type": "failure", "message": "8K is not listed"},
        ],
        "edges": [
            {"source": "start", "target": "missing"},
            {"source": "missing", "target": "passed"},
            {"source": "missing", "target": "pause", "outcome": "failure"},
            {"source": "pause", "target": "failed"},
            {"source": "pause", "target": "failed", "outcome": "failure"},
        ],
    },
}  # fmt: skip
LONG_CAMPAIGN = {
    "id": "long_watch",
    "name": "Two long pauses",
    "items": [
        {"name": "first", "testcase_id": "watched_guide", "inputs": {"pause_s": 30}},
        {"name": "second", "testcase_id": "watched_guide", "inputs": {"pause_s": 30}},
    ],
}


@dataclass
class DashboardLab:
    url: str
    hosts: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    proxy_config: Path = Path()
    host_urls: dict[str, str] = field(default_factory=dict)  # to reach a host directly

    @contextmanager
    def explained(self, host: str, device: str, execution_id: str) -> Iterator[None]:
        """A failed check in the block says what the host and the proxy's watch show of the
        device and its run then: whether the run, the host or the watch was late."""
        try:
            yield
        except AssertionError as missed:
            raise AssertionError(f"{missed}\n{self.seen(host, device, execution_id)}") from None

    def seen(self, host: str, device: str, execution_id: str) -> str:
        said = [f"at {datetime.now(UTC).isoformat()}"]
        try:
            run = httpx.get(f"{self.host_urls[host]}/host/executions/{execution_id}").json()
            said.append(f"run: {run['status']} {run['started_at']} -> {run['finished_at']}")
            view = httpx.get(f"{self.host_urls[host]}/host/devices/{device}").json()
            said.append(f"host: {view['state']} running {view['current_execution_id']}")
            watch = httpx.get(f"{self.url}/server/watch").json()
            shown = [d for h in watch["hosts"] for d in h["devices"] if d["device_id"] == device]
            said.append(f"watch: {shown}")
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            said.append(f"not read: {exc!r}")
        return "; ".join(said)


def library(folder: Path) -> Path:
    target = folder / "library"
    shutil.copytree(EXAMPLES / "library", target)
    (target / "testcases" / "watched_guide.yaml").write_text(yaml.safe_dump(WATCHED))
    (target / "testcases" / "shot_then_pause.yaml").write_text(yaml.safe_dump(SHOT_THEN_PAUSE))
    (target / "campaigns" / "long_watch.yaml").write_text(yaml.safe_dump(LONG_CAMPAIGN))
    return target


def host_config(folder: Path, name: str, devices: list[dict[str, Any]], lib: Path) -> Path:
    for device in devices:
        if "ui_model" in device.get("settings", {}):
            device["settings"]["ui_model"] = str(EXAMPLES / device["settings"]["ui_model"])
    path = folder / f"{name}.yaml"
    path.write_text(
        yaml.safe_dump({"host_name": name, "library_path": str(lib), "devices": devices})
    )
    return path


def configs(folder: Path) -> dict[str, Path]:
    lib = library(folder)
    found = {}
    for name, example in DEMO_HOSTS.items():
        devices = yaml.safe_load(example.read_text())["devices"]
        found[name] = host_config(folder, name, devices, lib)
    spare = [
        {"id": d, "name": f"Spare {d}", "model": "simtv-hd", "driver": "simulated",
         "settings": {"ui_model": "ui/simtv.yaml"}}
        for d in ("spare-1", "spare-2")
    ]  # fmt: skip
    found[SPARE_HOST] = host_config(folder, SPARE_HOST, spare, lib)
    return found


def start(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", *args], cwd=REPO, stdout=out, stderr=out, env=env
        )


@contextmanager
def dashboard_lab(folder: Path, env: dict[str, str] | None = None) -> Iterator[DashboardLab]:
    """Proxy first (the hosts register with it), then the hosts; all stopped afterwards."""
    host_configs = configs(folder)
    ports = {name: free_port() for name in host_configs}
    proxy_config = folder / "proxy.yaml"
    proxy_config.write_text(
        yaml.safe_dump(
            {"hosts": [{"name": n, "url": f"http://127.0.0.1:{p}"} for n, p in ports.items()]}
        )
    )
    proxy_port = free_port()
    url = f"http://127.0.0.1:{proxy_port}"
    with ExitStack() as stack:
        proxy = start(
            ["proxy_service", "--port", str(proxy_port), "--config", str(proxy_config)],
            folder / "proxy.log",
            env,
        )
        stack.callback(stop_process, proxy)
        wait_until_healthy(f"{url}/server/health", proxy)
        lab = DashboardLab(url, proxy_config=proxy_config)
        lab.host_urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        for name, config in host_configs.items():
            process = start(
                ["host_service", "--port", str(ports[name]), "--config", str(config),
                 "--journal", str(folder / f"{name}.sqlite3"), "--latency-scale", LATENCY_SCALE,
                 "--proxy-url", url],
                folder / f"{name}.log",
            )  # fmt: skip
            stack.callback(stop_process, process)
            lab.hosts[name] = process
        for name, process in lab.hosts.items():
            wait_until_healthy(f"http://127.0.0.1:{ports[name]}/host/health", process)
        yield lab
