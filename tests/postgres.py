"""A real PostgreSQL server for tests and benchmarks: Debian's binaries, a free loopback port,
a temporary folder, stopped and removed afterwards.

initdb refuses to run as root (tests run as root in CI), so as root the server runs as the
`postgres` system user of Debian's package (created when missing) and the folder is theirs.
`scripts/test_tools.sh` installs the package when it is missing.
"""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import psycopg

from tests.processes import free_port

SERVER_USER = "postgres"
SUPERUSER = "lab"
_databases = count(1)


@dataclass
class PostgresServer:
    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database on this server; its URL."""
        name = f"lab_{os.getpid()}_{next(_databases)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def binaries() -> Path:
    """The newest installed server's bin folder (Debian keeps them per major version)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    assert initdb, "PostgreSQL is not installed: scripts/test_tools.sh installs it"
    return Path(initdb).resolve().parent


def _major(path: str) -> int:
    version = Path(path).parents[1].name
    return int(version) if version.isdigit() else 0


def _server_user() -> pwd.struct_passwd | None:
    """Who runs the server: ourselves unless root, then the unprivileged `postgres` user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        no_login = ("--no-create-home", "--shell", "/usr/sbin/nologin")
        subprocess.run(["useradd", "--system", *no_login, SERVER_USER], check=True)
        return pwd.getpwnam(SERVER_USER)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir, user = binaries(), _server_user()
    # Not under pytest's basetemp: that is private to root, and the server user must enter.
    folder = Path(tempfile.mkdtemp(prefix="lab-postgres-"))
    data, log = folder / "data", folder / "server.log"
    if user is not None:
        os.chown(folder, user.pw_uid, user.pw_gid)
    as_user = {} if user is None else {"user": user.pw_uid, "group": user.pw_gid}
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run(
            args,
            check=True,
            capture_output=True,
            cwd=folder,
            timeout=60,
            **as_user,  # type: ignore[call-overload]
        )

    try:
        run(
            str(bin_dir / "initdb"),
            *("-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync"),
        )
        # Durability settings off: a test server's data is thrown away after the run.
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
        try:
            yield PostgresServer(port, folder)
        finally:
            with contextlib.suppress(subprocess.SubprocessError):
                run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
