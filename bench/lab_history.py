"""`GET /server/history` with a large recorded history, and the store's bytes per execution.

One host process runs a few real executions (two testcases of `examples/library`, one
passing and one failing, and an action batch); their finished views are the templates of
the history: 1,000 variants of each (own execution id, device, times), compressed as the
store records them. The store (migrated by the proxy's own code) is then filled in bulk:
`executemany` in transactions of 20,000 rows on SQLite, `COPY` on PostgreSQL, followed by
`VACUUM ANALYZE` there (what autovacuum does to a table that grew over weeks) and a
checkpoint. Then a proxy process on that store answers `GET /server/history` (first page,
50 items) filtered by testcase, by device, and by both, each `queries` times with random
values; the latency is the client's, request sent to answer read.
"""

import json
import os
import random
import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import yaml

from bench.lab_processes import MODEL, host_config, processes
from proxy_service.lab import open_lab_store, store_url
from proxy_service.lab.packed import pack
from proxy_service.lab.tables import history
from tests.postgres import postgres_server

HOSTS, PER_HOST, TESTCASES, CAMPAIGNS = 10, 50, 50, 5
DAYS = 30
VARIANTS = 1_000
COLUMNS = [c.name for c in history.c if c.name != "id"]
BATCH = 20_000


def real_views(folder: Path) -> list[dict[str, Any]]:
    """Finished views of real executions on a simulated TV: the templates of the history."""
    config = host_config(folder, "view-host", 0, 1)
    args = ["host_service", "--config", str(config), "--latency-scale", "0", "--journal", "none"]
    starts: list[tuple[str, dict[str, Any]]] = [
        ("testcase/execute", {"testcase_id": "zap_channels"}),
        ("testcase/execute", {"testcase_id": "check_resolution", "inputs": {"resolution": "8K"}}),
        ("action/executeBatch", {"actions": [{"command": "press_key", "params": {"key": "OK"}}]}),
    ]
    views = []
    with processes([(args, "/host/health")]) as [(url, _)], httpx.Client(base_url=url) as client:
        for path, body in starts:
            started = client.post(f"/host/{path}", json=body | {"device_id": "tv-0-0"})
            assert started.status_code == 202, started.text
            execution = f"/host/executions/{started.json()['execution_id']}"
            while (view := client.get(execution, params={"wait": 5}).json())["status"] in {
                "queued",
                "running",
            }:
                pass
            assert view["status"] == "completed", view
            views.append(view)
    return views


def variants(template: dict[str, Any], rng: random.Random) -> list[bytes]:
    found = []
    for _ in range(VARIANTS):
        h, d = rng.randrange(HOSTS), rng.randrange(PER_HOST)
        view = template | {
            "execution_id": str(uuid.uuid4()),
            "host_name": f"bench-host-{h}",
            "device_id": f"tv-{h}-{d}",
        }
        found.append(pack(json.dumps(view).encode()))
    return found


def rows(count: int, views: list[dict[str, Any]], seed: int = 14) -> Iterator[tuple[Any, ...]]:
    """`count` recorded executions over `DAYS` days, oldest first, as the feed records them."""
    rng = random.Random(seed)
    pools = [variants(v, rng) for v in views]  # testcase passed, testcase failed, action
    numbers = [0] * HOSTS
    began = time.time() - DAYS * 86_400
    step = DAYS * 86_400 / count
    for n in range(count):
        h, d = rng.randrange(HOSTS), rng.randrange(PER_HOST)
        numbers[h] += 1
        r = rng.random()
        if r < 0.75:
            kind = "testcase" if r < 0.70 else "campaign"
            definition = f"tc-{rng.randrange(TESTCASES):02d}" if r < 0.70 else f"campaign-{n % 5}"
        else:
            kind, definition = "action", None
        success = rng.random() < 0.85
        status = "completed" if rng.random() < 0.92 else rng.choice(["error", "cancelled"])
        pool = pools[2] if kind == "action" else pools[0 if success else 1]
        created = began + n * step + rng.random() * step
        elapsed = rng.uniform(0.05, 600.0)
        yield (
            f"bench-host-{h}",
            str(uuid.uuid4()),
            numbers[h],
            kind,
            f"tv-{h}-{d}",
            MODEL,
            f",rack-{d % 5},",
            definition,
            status,
            (success if status == "completed" else None),
            None if status != "error" else "device_disconnected",
            "done" if status == "completed" else status,
            created,
            created + 0.01,
            created + 0.01 + elapsed,
            elapsed * 1000,
            None,
            pool[rng.randrange(VARIANTS)],
        )


def fill_sqlite(path: Path, count: int, views: list[dict[str, Any]]) -> None:
    placeholders = ", ".join("?" for _ in COLUMNS)
    names = ", ".join(COLUMNS)  # the table's own column names, no input
    statement = f"INSERT INTO lab_history ({names}) VALUES ({placeholders})"  # noqa: S608
    connection = sqlite3.connect(path)
    try:
        batch = []
        for row in rows(count, views):
            batch.append(row)
            if len(batch) == BATCH:
                with connection:
                    connection.executemany(statement, batch)
                batch = []
        with connection:
            connection.executemany(statement, batch)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def fill_postgres(url: str, count: int, views: list[dict[str, Any]]) -> None:
    statement = f"COPY lab_history ({', '.join(COLUMNS)}) FROM STDIN"
    with psycopg.connect(url, autocommit=True) as connection:
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows(count, views):
                copy.write_row(row)
        connection.execute("VACUUM ANALYZE lab_history")
        connection.execute("CHECKPOINT")  # the fill's writes flushed before the reads


def sqlite_bytes(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        parts = dict(connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    table = parts.pop("lab_history")
    indexes = sum(v for k, v in parts.items() if "lab_history" in k)
    return {"table": table, "indexes": indexes, "file": os.path.getsize(path)}


def postgres_bytes(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        table, indexes, total = connection.execute(
            "SELECT pg_table_size('lab_history'), pg_indexes_size('lab_history'),"
            " pg_total_relation_size('lab_history')"
        ).fetchone() or (0, 0, 0)
    return {"table": table, "indexes": indexes, "file": total}


def read_latency(proxy: str, queries: int, rng: random.Random) -> dict[str, list[float]]:
    def testcase() -> dict[str, str]:
        return {"testcase_id": f"tc-{rng.randrange(TESTCASES):02d}"}

    def device() -> dict[str, str]:
        return {"device_id": f"tv-{rng.randrange(HOSTS)}-{rng.randrange(PER_HOST)}"}

    def both() -> dict[str, str]:
        return testcase() | device()

    filters: dict[str, Callable[[], dict[str, str]]] = {
        "testcase": testcase,
        "device": device,
        "testcase and device": both,
    }
    found: dict[str, list[float]] = {name: [] for name in filters}
    with httpx.Client(base_url=proxy, timeout=30) as client:
        for _ in range(queries):
            for name, params in filters.items():
                began = time.perf_counter()
                answer = client.get("/server/history", params=params())
                found[name].append((time.perf_counter() - began) * 1000)
                assert answer.status_code == 200, answer.text
    return found


def measure(folder: Path, label: str, database_url: str, queries: int, rounds: int) -> None:
    config = folder / "no-hosts.yaml"
    config.write_text(yaml.safe_dump({"hosts": []}))
    proxy = ["proxy_service", "--config", str(config), "--log-level", "warning"]
    env = {"PROXY_DATABASE_URL": database_url}
    with processes([(proxy, "/server/health")], env) as [(url, _)]:
        for r in range(rounds):
            for name, samples in read_latency(url, queries, random.Random(r)).items():
                cuts = statistics.quantiles(samples, n=100, method="inclusive")
                print(
                    f"{label} round {r + 1} history by {name} ({len(samples)}): "
                    f"p50 {statistics.median(samples):.1f} ms, p99 {cuts[98]:.1f} ms"
                )


def report_bytes(label: str, sizes: dict[str, int], count: int, views: list[bytes]) -> None:
    per = {k: v / count for k, v in sizes.items()}
    print(
        f"{label} bytes per execution: {per['file']:,.0f} in all (table {per['table']:,.0f}, "
        f"indexes {per['indexes']:,.0f}); the compressed view alone "
        f"{statistics.mean(len(v) for v in views):,.0f}"
    )


def history_figures(folder: Path, count: int, queries: int, rounds: int) -> None:
    views = real_views(folder)
    raw = [len(json.dumps(v)) for v in views]
    compressed = [pack(json.dumps(v).encode()) for v in views]
    print(f"\nhistory: {count:,} executions; template views {raw} bytes of JSON")
    path = folder / "history.sqlite3"
    sqlite_url = f"sqlite:///{path}"
    open_lab_store(store_url(sqlite_url, path)).engine.dispose()  # the schema, by migration
    began = time.perf_counter()
    fill_sqlite(path, count, views)
    print(f"sqlite filled in {time.perf_counter() - began:.0f} s")
    report_bytes("sqlite", sqlite_bytes(path), count, compressed)
    measure(folder, "sqlite", sqlite_url, queries, rounds)
    with postgres_server() as server:
        url = server.new_database()
        open_lab_store(store_url(url, path)).engine.dispose()
        began = time.perf_counter()
        fill_postgres(url, count, views)
        print(f"postgresql filled in {time.perf_counter() - began:.0f} s")
        report_bytes("postgresql", postgres_bytes(url), count, compressed)
        measure(folder, "postgresql", url, queries, rounds)
