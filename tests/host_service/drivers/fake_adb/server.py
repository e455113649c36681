"""A small adb server on loopback: adb's smart-socket protocol, real sockets, real framing.

Every request is four hex digits of length then the service name; the server answers
`OKAY` or `FAIL` + a length-prefixed message. Host services answer themselves
(`host:version`, `host:devices`, `host:kill`); `host:transport:<serial>` and
`host:tport:serial:<serial>` switch the connection to a device, whose next request is
`shell:<command>`: the command's output follows `OKAY` raw and the connection closes.
The devices are scripted Android TVs (android_tv.py). Only what adb clients send is
understood; anything else is a `FAIL` naming it, as a real server does.
"""

import contextlib
import socket
import socketserver
import threading
from dataclasses import dataclass, field

from tests.host_service.drivers.fake_adb.android_tv import AndroidTV

SERVER_VERSION = 41  # adb 1.0.41: clients ask for `host:tport:serial:` transports


class ProtocolError(Exception):
    pass


def block(payload: bytes) -> bytes:
    """A length-prefixed block: four hex digits, then the bytes."""
    return f"{len(payload):04x}".encode() + payload


@dataclass
class DeviceSlot:
    device: AndroidTV
    state: str = "device"  # what `host:devices` lists: device, offline, unauthorized


@dataclass
class FakeAdbServer:
    """The server's devices by serial and every service it was asked for, in order."""

    slots: dict[str, DeviceSlot] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, serial: str, device: AndroidTV, state: str = "device") -> AndroidTV:
        with self.lock:
            self.slots[serial] = DeviceSlot(device, state)
        return device

    def set_state(self, serial: str, state: str) -> None:
        with self.lock:
            self.slots[serial].state = state

    def remove(self, serial: str) -> None:
        with self.lock:
            del self.slots[serial]

    def record(self, service: str) -> None:
        with self.lock:
            self.requests.append(service)

    def listing(self) -> str:
        with self.lock:
            return "".join(f"{serial}\t{s.state}\n" for serial, s in self.slots.items())

    def connect(self, serial: str) -> AndroidTV:
        with self.lock:
            slot = self.slots.get(serial)
        if slot is None:
            raise ProtocolError(f"device '{serial}' not found")
        if slot.state != "device":
            raise ProtocolError(f"device {slot.state}")
        return slot.device


class _Handler(socketserver.BaseRequestHandler):
    server: "_TCPServer"

    def handle(self) -> None:
        sock: socket.socket = self.request
        # The client went away, or sent what a server answers FAIL to and hangs up on.
        with contextlib.suppress(ConnectionError, ProtocolError, TimeoutError):
            self._serve(sock)

    def _serve(self, sock: socket.socket) -> None:
        fake = self.server.fake
        service = _read_request(sock)
        fake.record(service)
        if service == "host:version":
            sock.sendall(b"OKAY" + block(f"{SERVER_VERSION:04x}".encode()))
        elif service in ("host:devices", "host:devices-l"):
            sock.sendall(b"OKAY" + block(fake.listing().encode()))
        elif service == "host:kill":
            sock.sendall(b"OKAY")
        elif service.startswith(("host:transport:", "host:tport:serial:")):
            serial = service.rsplit(":", 1)[1]
            try:
                device = fake.connect(serial)
            except ProtocolError as exc:
                _fail(sock, str(exc))
                return
            transport_id = b"\x01\x00\x00\x00\x00\x00\x00\x00"
            sock.sendall(b"OKAY" + (transport_id if "tport" in service else b""))
            self._device_service(sock, device)
        else:
            _fail(sock, f"unknown host service {service!r}")

    def _device_service(self, sock: socket.socket, device: AndroidTV) -> None:
        service = _read_request(sock)
        self.server.fake.record(service)
        if not service.startswith("shell:"):
            _fail(sock, f"unsupported device service {service!r}")
            return
        sock.sendall(b"OKAY")
        for chunk in device.shell(service.removeprefix("shell:")):
            sock.sendall(chunk)


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("client closed")
        data += chunk
    return data


def _read_request(sock: socket.socket) -> str:
    header = _read_exactly(sock, 4)
    try:
        size = int(header, 16)
    except ValueError as exc:
        raise ProtocolError(f"bad length {header!r}") from exc
    return _read_exactly(sock, size).decode()


def _fail(sock: socket.socket, message: str) -> None:
    sock.sendall(b"FAIL" + block(message.encode()))


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, fake: FakeAdbServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class RunningAdbServer:
    """A started server: its address, its state, and `stop()` (also on `with` exit)."""

    def __init__(self, fake: FakeAdbServer | None = None) -> None:
        self.fake = fake or FakeAdbServer()
        self._server = _TCPServer(self.fake)
        self.port: int = self._server.server_address[1]
        self._stopped = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for slot in list(self.fake.slots.values()):
            slot.device.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> "RunningAdbServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
