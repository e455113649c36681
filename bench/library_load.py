"""What loading a library costs as its trees grow, and what hostile files cost.

Each case runs in a fresh process (`--case NAME`), so its peak RSS is its own: a library
folder holding the example library and one generated file, loaded by `load_library`
with the host's GC tuning (as a host with `HOST_GC_TUNING`, the default) and without,
five times; the median is shown, less that of the example library alone.
Trees are like a real UI's (every node a screen check, every edge a key press with a
reverse), written as YAML. The baseline is the 250-node tree: per-node time should stay
flat as trees grow (linear loading), and hostile files should cost next to nothing.
The parse alone with PyYAML's pure-Python loader (what the host used before) is shown
for the same files.

    .venv/bin/python -m bench.library_load
"""

import argparse
import contextlib
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from host_service.kinds.definitions import DEFINITION_RULES
from host_service.library import load_library
from service_common.gc_tuning import tuned_gc
from tests.processes import REPO

SIZES = (250, 500, 1_000, 2_000)
ROUNDS = 5  # loads per case; the median is shown


def tree(nodes: int) -> dict[str, Any]:
    key = "press_key"
    return {
        "id": "big",
        "name": f"{nodes} nodes",
        "nodes": [
            {
                "id": f"n{i}",
                "label": f"Node {i}",
                "type": "entry" if i == 0 else "screen",
                "verifications": [
                    {"type": "screen", "command": "check_screen", "params": {"screen": f"n{i}"}}
                ],
            }
            for i in range(nodes)
        ],
        "edges": [
            {
                "source": f"n{i}",
                "target": f"n{i + 1}",
                "actions": [{"command": key, "params": {"key": "RIGHT"}}],
                "reverse": {"actions": [{"command": key, "params": {"key": "LEFT"}}]},
            }
            for i in range(nodes - 1)
        ],
        "global_edges": [
            {"target": "n0", "actions": [{"command": key, "params": {"key": "HOME"}}]}
        ],
    }


def bomb(levels: int) -> str:
    items = ["l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    items += [f"l{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "{" + ", ".join(items) + "}"


def case_file(case: str) -> tuple[str, str]:
    """The case's file: its name in the library, and its text."""
    if case.startswith("tree-"):
        return "trees/big.yaml", yaml.safe_dump(
            tree(int(case.removeprefix("tree-"))), sort_keys=False
        )
    if case == "7k-nodes-2.2MB":
        return "trees/huge.yaml", yaml.safe_dump(tree(7_000), sort_keys=False)
    if case == "10k-nodes-compact":
        return "trees/wide.json", json.dumps(tree(10_000) | {"edges": [], "global_edges": []})
    if case == "alias-bomb-9":
        return "trees/bomb.yaml", (
            "id: bomb\nname: Bomb\nnodes:\n  - {id: n0, label: n0, type: entry}\n"
            "  - {id: n1, label: n1}\nedges:\n  - {source: n0, target: n1, actions: "
            f"[{{command: press_key, params: {bomb(9)}}}]}}\n"
        )
    raise SystemExit(f"unknown case {case}")


def _median_load(root: Path) -> tuple[float, Any]:
    times = []
    library = None
    for _ in range(ROUNDS):
        started = time.perf_counter()
        library = load_library(root, DEFINITION_RULES)
        times.append(time.perf_counter() - started)
    return statistics.median(times), library


def run_case(name: str, source: Path, tuned: bool) -> dict[str, Any]:
    """Load the example library, then with the file at `source` added as `name`."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "lib"
        shutil.copytree(REPO / "examples" / "library", root)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with tuned_gc() if tuned else contextlib.nullcontext():
            examples, _ = _median_load(root)  # the example library alone, subtracted below
            shutil.copy(source, root / name)
            seconds, library = _median_load(root)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        problem = next((p.message for p in library.problems), "")
        return {
            "seconds": max(0.0, seconds - examples),
            "rss_mb": grown / 1024,
            "loaded": "big" in library.trees,
            "problem": problem[:70],
        }


def measure(case: str, tuned: bool) -> dict[str, Any]:
    """Run the case in a fresh process; the file is written here, so its cost is not counted."""
    name, text = case_file(case)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / Path(name).name
        source.write_text(text)
        args = [sys.executable, "-m", "bench.library_load", "--case", name, "--file", str(source)]
        done = subprocess.run(
            [*args, *(["--tuned"] if tuned else [])],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    result["kb"] = len(text.encode()) / 1024
    if case.startswith("tree-") and not tuned:
        started = time.perf_counter()
        yaml.safe_load(text)
        result["pure_parse"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", help="(internal) the file's name in the library")
    parser.add_argument("--file", type=Path, help="(internal) the file to add")
    parser.add_argument("--tuned", action="store_true")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.file, args.tuned)))
        return
    print(
        "| tree | file KB | load s, host GC tuning | µs/node | x baseline | load s, default GC "
        "| µs/node | x baseline | pure-Python parse s | RSS +MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base: dict[bool, float] = {}
    for nodes in SIZES:
        row = {tuned: measure(f"tree-{nodes}", tuned) for tuned in (True, False)}
        cells = [f"{nodes:,} nodes", f"{row[True]['kb']:,.0f}"]
        for tuned in (True, False):
            per_node = row[tuned]["seconds"] / nodes * 1e6
            base.setdefault(tuned, per_node)
            cells += [
                f"{row[tuned]['seconds']:.2f}",
                f"{per_node:.0f}",
                f"{per_node / base[tuned]:.2f}",
            ]
        cells += [f"{row[False]['pure_parse']:.2f}", f"{row[True]['rss_mb']:.0f}"]
        print("| " + " | ".join(cells) + " |")
    print()
    print("| hostile file | file KB | refused in s | RSS +MB | problem |")
    print("|---|---:|---:|---:|---|")
    for case in ("7k-nodes-2.2MB", "10k-nodes-compact", "alias-bomb-9"):
        result = measure(case, True)
        assert not result["loaded"], case
        print(
            f"| {case} | {result['kb']:,.0f} | {result['seconds']:.2f} | "
            f"{result['rss_mb']:.0f} | {result['problem']} |"
        )


if __name__ == "__main__":
    main()
