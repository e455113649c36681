"""One device on one adb server, over adbutils, every call bounded and stoppable.

adbutils speaks the protocol (connections, request framing and OKAY/FAIL answers, the
device listing, its error types). Two things are ours:
* it never runs `adb start-server`: adbutils does when it cannot connect, which would
  leave a daemon behind on the host or hide that the lab's server is down;
* shell output is read from the stream in short slices, so a stop of the execution or
  the call's timeout closes the connection, and `close_all()` (the driver's `aclose`)
  releases calls stuck on a device that stopped answering.
"""

import shlex
import socket
import threading
import time

import adbutils
from adbutils.errors import AdbConnectionError, AdbError, AdbTimeout

from host_service.drivers.base import DriverError
from host_service.runtime.cancel import CancelToken

_SLICE_S = 0.05  # how often a read looks at its token
_EXIT_MARK = b"X4EXIT:"  # the shell prints the exit status after this; adbutils' own mark


class _Connection(adbutils.AdbConnection):  # type: ignore[misc]  # adbutils has no type hints
    def __init__(self, host: str, port: int, timeout_s: float) -> None:
        self._target = (host, port)
        self._timeout_s = timeout_s
        super().__init__(host, port)  # calls _safe_connect

    def _safe_connect(self) -> socket.socket:
        """Connect, or fail: never `adb start-server`, and no socket left open on failure."""
        try:
            sock = socket.create_connection(self._target, timeout=self._timeout_s)
        except TimeoutError as exc:
            raise AdbTimeout(f"connect to adb server timeout: {exc}") from exc
        except OSError as exc:
            raise AdbConnectionError(f"connect to adb server failed: {exc}") from exc
        sock.settimeout(self._timeout_s)
        return sock


class _Client(adbutils.AdbClient):  # type: ignore[misc]  # adbutils has no type hints
    def __init__(self, host: str, port: int, connect_timeout_s: float) -> None:
        super().__init__(host=host, port=port, socket_timeout=connect_timeout_s)
        self._connect_timeout_s = connect_timeout_s

    def make_connection(self, timeout: float | None = None) -> adbutils.AdbConnection:
        return _Connection(self.host, self.port, timeout or self._connect_timeout_s)


def _fault(exc: Exception, serial: str, server: str) -> DriverError:
    """adbutils' errors as driver faults: the device is gone, or the server is."""
    text = str(exc)
    if isinstance(exc, AdbConnectionError | ConnectionError):
        return DriverError("adb_server_unreachable", f"no adb server at {server}: {text}")
    if isinstance(exc, AdbTimeout | TimeoutError):
        return DriverError("adb_timeout", f"adb server {server} did not answer: {text}")
    if "not found" in text or "offline" in text or "unauthorized" in text:
        return DriverError("device_disconnected", f"{serial} on {server}: {text}")
    return DriverError("adb_error", f"{serial} on {server}: {text}")


class AdbLink:
    def __init__(self, serial: str, host: str, port: int, connect_timeout_s: float) -> None:
        self.serial = serial
        self.server = f"{host}:{port}"
        self._client = _Client(host, port, connect_timeout_s)
        self._lock = threading.Lock()
        self._open: set[adbutils.AdbConnection] = set()
        self._closed = False

    def state(self) -> str:
        """How the server lists the device (`device`, `offline`, ...), or why it cannot say."""
        try:
            listed = {info.serial: info.state for info in self._client.list()}
        except (AdbError, OSError) as exc:
            return f"no adb server at {self.server} ({type(exc).__name__})"
        return str(listed.get(self.serial, "not listed"))

    def run(self, argv: list[str], token: CancelToken, timeout_s: float) -> tuple[bytes, int]:
        """Run `argv` in the device's shell: its output and exit status."""
        line = shlex.join(argv) + f"; echo {_EXIT_MARK.decode()}$?"
        output = self._read(line, token, timeout_s)
        mark = output.rfind(_EXIT_MARK)
        if mark < 0:
            raise DriverError("adb_error", f"{argv[0]}: the shell ended without an exit status")
        status = output[mark + len(_EXIT_MARK) :].strip()
        return output[:mark], int(status) if status.isdigit() else 255

    def _read(self, line: str, token: CancelToken, timeout_s: float) -> bytes:
        token.check()
        try:
            connection = self._client.make_connection()
        except (AdbError, OSError) as exc:
            raise _fault(exc, self.serial, self.server) from exc
        try:
            # adb's smart-socket requests, framed by adbutils: the device, then its shell.
            connection.send_command(f"host:transport:{self.serial}")
            connection.check_okay()
            connection.send_command(f"shell:{line}")
            connection.check_okay()
        except (AdbError, OSError) as exc:
            connection.close()
            raise _fault(exc, self.serial, self.server) from exc
        with self._lock:
            if self._closed:
                connection.close()
                raise DriverError("driver_closed", "the adb driver is closed")
            self._open.add(connection)
        give_up = time.monotonic() + timeout_s
        chunks: list[bytes] = []
        try:
            sock: socket.socket = connection.conn
            try:
                sock.settimeout(_SLICE_S)
            except OSError as exc:  # closed by close_all() between the request and the read
                raise DriverError("device_disconnected", f"{self.serial}: {exc}") from exc
            while True:
                try:
                    chunk = sock.recv(65536)
                except TimeoutError:
                    chunk = None
                except OSError as exc:  # closed by close_all(), or reset by the server
                    raise DriverError("device_disconnected", f"{self.serial}: {exc}") from exc
                if chunk == b"":
                    return b"".join(chunks)
                if chunk:
                    chunks.append(chunk)
                token.check()
                if time.monotonic() >= give_up:
                    raise DriverError(
                        "device_hung", f"{self.serial} did not answer within {timeout_s:g} s"
                    )
        finally:
            with self._lock:
                self._open.discard(connection)
            connection.close()

    def close_all(self) -> None:
        """Close every open call's connection: a call stuck on a silent device returns."""
        with self._lock:
            self._closed = True
            open_now = list(self._open)
        for connection in open_now:
            connection.conn.close()
