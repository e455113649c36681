"""A library folder an adversary wrote into: the host starts, serves, reloads, and says why
it skipped each hostile file, in seconds, without quoting what a link led to."""

import json
import shutil
import time
from pathlib import Path

from host_service.kinds.definitions import DEFINITION_RULES
from host_service.library import load_library
from tests.conftest import LIBRARY, HostFactory
from tests.hostile.library_files import HOSTILE_FILES, SECRET


def hostile_library(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "lib"
    shutil.copytree(LIBRARY, root)
    reasons = {name: write(root) for name, write in HOSTILE_FILES.items()}
    return root, reasons


def test_each_hostile_file_is_a_problem_with_its_reason(tmp_path: Path) -> None:
    root, reasons = hostile_library(tmp_path)
    started = time.monotonic()
    library = load_library(root, DEFINITION_RULES)
    seconds = time.monotonic() - started
    problems = {p.file: p.message for p in library.problems}
    assert set(problems) == set(reasons)
    for name, reason in reasons.items():
        assert reason in problems[name], (name, problems[name])
    assert SECRET not in json.dumps([p.model_dump() for p in library.problems])
    # The example library beside them is whole.
    examples = load_library(LIBRARY, DEFINITION_RULES)
    assert {t.id for t in library.trees.all()} == {t.id for t in examples.trees.all()}
    assert {t.id for t in library.testcases.all()} == {t.id for t in examples.testcases.all()}
    assert seconds < 10, f"{seconds:.1f} s to load"  # the 10,000-node tree alone took 38 s


async def test_the_host_starts_serves_and_reloads_with_them(
    tmp_path: Path, host_factory: HostFactory
) -> None:
    root, reasons = hostile_library(tmp_path)
    async with host_factory(library_path=root) as host:
        assert (await host.client.get("/host/health")).status_code == 200
        listed = (await host.client.get("/host/library/problems")).json()
        assert {p["file"] for p in listed} == set(reasons)
        reloaded = await host.client.post("/host/library/reload")
        assert reloaded.status_code == 200, reloaded.text
        assert {p["file"] for p in reloaded.json()["problems"]} == set(reasons)
        assert SECRET not in reloaded.text
        assert (await host.client.get("/host/library/trees/bomb")).status_code == 404
        tree = await host.client.get("/host/library/trees/simtv")
        assert tree.status_code == 200
