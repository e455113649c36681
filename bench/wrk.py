"""Run wrk (Debian package `wrk`) against a URL and read its figures back.

wrk is a C load generator: a Python client on the same two cores would measure
itself, not the server. Each request's body comes from a small Lua script.
"""

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkFigures:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad_responses: int

    def row(self) -> str:
        return (
            f"| {self.name} | {self.requests_per_s:,.0f} | {self.p50_ms:.2f} | {self.p99_ms:.2f} "
            f"| {self.requests:,} | {self.bad_responses} |"
        )


HEADER = "| route | req/s | p50 ms | p99 ms | requests | non-2xx |\n|---|---:|---:|---:|---:|---:|"


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS[unit]


def lua_post(path: str, bodies: list[str]) -> str:
    """A wrk script that POSTs the given JSON bodies in turn."""
    quoted = ", ".join("[[" + body + "]]" for body in bodies)
    return (
        f"local bodies = {{{quoted}}}\nlocal n = 0\n"
        "request = function()\n  n = n + 1\n"
        f'  return wrk.format("POST", "{path}", {{["Content-Type"] = "application/json"}},'
        " bodies[n % #bodies + 1])\nend\n"
    )


def lua_get(paths: list[str]) -> str:
    quoted = ", ".join(f'"{p}"' for p in paths)
    return (
        f"local paths = {{{quoted}}}\nlocal n = 0\n"
        "request = function()\n  n = n + 1\n"
        '  return wrk.format("GET", paths[n % #paths + 1])\nend\n'
    )


def run_wrk(
    name: str, base_url: str, script: str, *, seconds: int = 10, connections: int = 32
) -> WrkFigures:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("bench needs wrk: apt-get install wrk")
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "script.lua"
        lua.write_text(script)
        command = [
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(lua),
            base_url,
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))

    def parse(text: str) -> float:
        match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
        assert match, text
        return _ms(match[1], match[2])

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    total = re.search(r"(\d+) requests in", out)
    assert total, out
    return WrkFigures(
        name=name,
        requests_per_s=float(re.findall(r"Requests/sec:\s+([\d.]+)", out)[0]),
        p50_ms=parse(latency["50"]),
        p99_ms=parse(latency["99"]),
        requests=int(total[1]),
        bad_responses=(int(bad[1]) if bad else 0) + (1 if errors else 0),
    )
