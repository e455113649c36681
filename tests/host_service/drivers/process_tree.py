"""A command that starts a grandchild and reports both pids through a FIFO.

The test reads the FIFO, which returns once both processes exist: a handshake, not a
sleep. After a kill, `ends` waits on a pidfd, which the kernel makes readable when
the process terminates (SIGKILL is delivered asynchronously to the grandchild).
"""

import os
import select
import sys
from pathlib import Path
from typing import Any

SPAWN_TREE = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
    "with open(sys.argv[1], 'w') as fifo:\n"
    "    fifo.write('%d %d' % (os.getpid(), child.pid))\n"
    "child.wait()\n"
)
ECHO_ARGV = "import json, sys; print(json.dumps(sys.argv[1:]))"


def make_fifo(tmp_path: Path) -> Path:
    fifo = tmp_path / "pids.fifo"
    os.mkfifo(fifo)
    return fifo


def read_pids(fifo: Path, seconds: float = 10) -> list[int]:
    """Wait until the command has started its grandchild; its pid and the grandchild's.

    Opened read-write so the open never blocks, and bounded, so a command that died
    before reporting fails the test instead of hanging it.
    """
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    try:
        readable, _, _ = select.select([fd], [], [], seconds)
        assert readable, f"the command did not report its pids within {seconds} s"
        # One short write (under PIPE_BUF) arrives whole.
        return [int(pid) for pid in os.read(fd, 100).decode().split()]
    finally:
        os.close(fd)


def alive(pid: int) -> bool:
    """Whether `pid` still runs now (a zombie runs nothing)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def ends(pid: int, seconds: float = 5) -> bool:
    """Whether `pid` terminates within `seconds` (at once if it already has)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([fd], [], [], seconds)
        return bool(readable)
    finally:
        os.close(fd)


def tree_command(fifo: Path, **extra: Any) -> dict[str, Any]:
    return {"argv": [sys.executable, "-c", SPAWN_TREE, str(fifo)], **extra}
