"""Real service processes on 127.0.0.1 for tests that need sockets; always stopped."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    """Poll a process we just started until it answers; fail fast if it exits."""
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise AssertionError(f"process for {url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)  # the process is binding its port; nothing to wait on but time
    raise AssertionError(f"{url} not healthy after {seconds} s")


def run_to_exit(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m module *args` that is expected to stop on its own (a refused start)."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it has not exited within 10 s; nothing if already gone."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def kill_process(process: subprocess.Popen[bytes]) -> None:
    """kill -9: no shutdown, no last write."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


@contextmanager
def service(
    module: str,
    *args: str,
    health_path: str,
    log: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Run `python -m module --port P *args`; yield its base URL; stop it afterwards.
    Its output goes to `log` (discarded without); `env` is added to this process's."""
    port = free_port()
    with log.open("ab") if log is not None else contextlib.nullcontext() as sink:
        output = subprocess.DEVNULL if sink is None else sink
        process = subprocess.Popen(
            [sys.executable, "-m", module, "--port", str(port), *args],
            cwd=REPO,
            stdout=output,
            stderr=output,
            env={**os.environ, **(env or {})},
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url + health_path, process)
        yield base_url
    finally:
        stop_process(process)
