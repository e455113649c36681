"""One external program run for a driver: no shell, its own process group, bounded in time.

The program runs in a new session (`start_new_session=True`), so it and every process
it starts form one process group that is killed as a whole on cancel, on the
execution's deadline or on the command's own timeout; nothing is left running behind
a finished execution. Output goes to temporary files, so a chatty program costs disk,
not memory, and only the first `max_output_bytes` are read back.
"""

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

from host_service.drivers.base import DriverError
from host_service.runtime.cancel import CancelToken

POLL_S = 0.02  # how often a running program looks at its cancel token


@dataclass(frozen=True)
class ProcessResult:
    exit_code: int
    stdout: str
    stderr: str
    duration_s: float


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the program's whole process group, then reap the program itself."""
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _read(stream: IO[bytes], limit: int) -> str:
    stream.seek(0)
    data = stream.read(limit + 1)
    text = data[:limit].decode("utf-8", errors="replace")
    return text + "\n[output truncated]" if len(data) > limit else text


class ProcessRunner:
    """Runs one program at a time and remembers it, so `close()` can kill a stuck one."""

    def __init__(self, env: Mapping[str, str], max_output_bytes: int) -> None:
        self._env = {**os.environ, **env}
        self._max_output = max_output_bytes
        self._lock = threading.Lock()
        self._running: subprocess.Popen[bytes] | None = None

    def run(self, argv: list[str], timeout_s: float, token: CancelToken) -> ProcessResult:
        """Run `argv` to its end; raises `ExecutionStopped` on stop, `DriverError` on faults."""
        token.check()
        started = time.monotonic()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            try:
                # argv is a list and shell=False: every element reaches the program as one
                # argument, whatever quotes, spaces or shell syntax it holds.
                process = subprocess.Popen(  # noqa: S603 - argv from the host's own config
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=err,
                    env=self._env,
                    start_new_session=True,
                )
            except FileNotFoundError as exc:
                raise DriverError("command_not_found", f"{argv[0]}: not found") from exc
            except PermissionError as exc:
                raise DriverError("command_not_executable", f"{argv[0]}: {exc}") from exc
            except ValueError as exc:  # a NUL byte cannot be passed in an argument
                raise DriverError("invalid_argument", f"{argv[0]}: {exc}") from exc
            with self._lock:
                self._running = process
            try:
                self._wait(process, argv, timeout_s, token)
            finally:
                with self._lock:
                    self._running = None
            return ProcessResult(
                exit_code=process.returncode,
                stdout=_read(out, self._max_output),
                stderr=_read(err, self._max_output),
                duration_s=time.monotonic() - started,
            )

    def _wait(
        self,
        process: subprocess.Popen[bytes],
        argv: list[str],
        timeout_s: float,
        token: CancelToken,
    ) -> None:
        give_up = time.monotonic() + timeout_s
        while True:
            try:
                process.wait(timeout=POLL_S)
                return
            except subprocess.TimeoutExpired:
                pass
            if token.reason is not None:
                kill_group(process)
                token.check()
            if time.monotonic() >= give_up:
                kill_group(process)
                raise DriverError(
                    "command_timeout", f"{argv[0]} did not finish within {timeout_s:g} s; killed"
                )

    def close(self) -> None:
        with self._lock:
            process = self._running
        if process is not None and process.poll() is None:
            kill_group(process)
