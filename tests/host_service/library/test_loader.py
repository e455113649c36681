"""The definition library: loading, broken files reported by name, catalogue routes."""

import asyncio
import shutil
from pathlib import Path

from host_service.config import load_host_config
from host_service.kinds.definitions import DEFINITION_RULES
from host_service.library import DefinitionLibrary, DefinitionRules, load_library
from host_service.settings import DEMO_CONFIG
from schemas.navigation import NavigationTree
from tests.conftest import LIBRARY, HostFactory, fake
from tests.helpers import finished


def _copy_library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    shutil.copytree(LIBRARY, root)
    return root


def test_example_library_loads_without_problems() -> None:
    library = load_library(LIBRARY, DEFINITION_RULES)
    assert library.problems == []
    tree = library.trees.get("simtv")
    assert len(tree.nodes) >= 12
    assert {n.type for n in tree.nodes} == {"entry", "screen", "action"}
    assert any(edge.reverse for edge in tree.edges)


def test_broken_files_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    root = _copy_library(tmp_path)
    (root / "trees" / "bad_yaml.yaml").write_text("id: [unclosed\n")
    (root / "trees" / "no_entry.json").write_text(
        '{"id": "no_entry", "name": "x", "nodes": [{"id": "a", "label": "A"}]}'
    )
    (root / "trees" / "z_copy.yaml").write_text((root / "trees" / "simtv.yaml").read_text())
    (root / "trees" / "notes.txt").write_text("not a definition")
    (root / "testcases" / "lost.yaml").write_text(
        "id: lost\nname: Lost\ngraph:\n  nodes:\n"
        "    - {id: s, type: start}\n"
        "    - {id: nav, type: navigation, tree_id: nowhere, target_node_id: x}\n"
        "    - {id: ok, type: success}\n"
        "  edges: [{source: s, target: nav}, {source: nav, target: ok}]\n"
    )
    (root / "campaigns" / "orphan.yaml").write_text(
        "id: orphan\nname: Orphan\nitems: [{testcase_id: lost}]\n"
    )
    library = load_library(root, DEFINITION_RULES)
    problems = {p.file: p.message for p in library.problems}
    assert set(problems) == {
        "trees/bad_yaml.yaml",
        "trees/no_entry.json",
        "trees/z_copy.yaml",
        "testcases/lost.yaml",
        "campaigns/orphan.yaml",
    }
    assert problems["trees/bad_yaml.yaml"].startswith("cannot read")
    assert "exactly one entry node" in problems["trees/no_entry.json"]
    assert "duplicate tree id 'simtv', also in trees/simtv.yaml" in problems["trees/z_copy.yaml"]
    assert "no tree 'nowhere' in the library" in problems["testcases/lost.yaml"]
    assert "['lost']" in problems["campaigns/orphan.yaml"]
    assert "simtv" in library.trees
    assert "lost" not in library.testcases


def test_missing_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    library = load_library(tmp_path / "absent", DEFINITION_RULES)
    assert [p.message for p in library.problems] == ["library folder not found"]


async def test_catalogue_routes(host_factory: HostFactory, tmp_path: Path) -> None:
    root = _copy_library(tmp_path)
    (root / "trees" / "broken.yaml").write_text("id: broken\n")
    async with host_factory(library_path=root) as host:
        trees = (await host.client.get("/host/library/trees")).json()
        assert [t["id"] for t in trees] == ["simtv", "webtv"]
        assert trees[0]["file"] == "trees/simtv.yaml"
        tree = (await host.client.get("/host/library/trees/simtv")).json()
        assert tree["nodes"][0]["id"] == "home"
        missing = await host.client.get("/host/library/trees/nope")
        assert missing.status_code == 404
        assert missing.json()["error"] == "tree_not_found"
        problems = (await host.client.get("/host/library/problems")).json()
        assert [p["file"] for p in problems] == ["trees/broken.yaml"]
        assert "name: Field required" in problems[0]["message"]
        for kind in ("testcases", "campaigns"):
            listing = await host.client.get(f"/host/library/{kind}")
            assert listing.status_code == 200
            assert (await host.client.get(f"/host/library/{kind}/nope")).status_code == 404


async def test_reload_reads_the_folder_again(host_factory: HostFactory, tmp_path: Path) -> None:
    root = _copy_library(tmp_path)
    async with host_factory(library_path=root) as host:
        copy = (root / "trees" / "simtv.yaml").read_text().replace("id: simtv", "id: simtv_copy")
        (root / "trees" / "copy.yaml").write_text(copy)
        (root / "campaigns" / "forward.yaml").write_text(
            "id: forward\nname: Forward reference\nitems:\n"
            "  - {testcase_id: check_resolution,"
            " inputs: {resolution: '${items.open_guide.outputs.x}'}}\n"
            "  - {testcase_id: open_guide}\n"
        )
        response = await host.client.post("/host/library/reload")
        assert response.status_code == 200
        summary = response.json()
        assert (summary["trees"], summary["testcases"], summary["campaigns"]) == (3, 6, 1)
        assert [p["file"] for p in summary["problems"]] == ["campaigns/forward.yaml"]
        assert "no earlier item 'open_guide'" in summary["problems"][0]["message"]
        trees = (await host.client.get("/host/library/trees")).json()
        assert [t["id"] for t in trees] == ["simtv", "simtv_copy", "webtv"]
        body = {"device_id": "tv-1", "target_node_id": "guide"}
        started = await host.client.post("/host/navigation/execute/simtv_copy", json=body)
        assert started.status_code == 202
        view = await finished(host.client, started.json()["execution_id"])
        assert view["result"]["success"] is True


def test_demo_host_config_points_at_the_example_library() -> None:
    config = load_host_config(DEMO_CONFIG)
    assert config.library_path is not None
    assert config.library_path.resolve() == LIBRARY.resolve()
    library = load_library(config.library_path, DEFINITION_RULES)
    assert library.problems == []
    assert {c.id for c in library.campaigns.all()} == {"nightly_smoke"}


async def test_a_running_campaign_keeps_its_definitions_across_a_reload(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    root = tmp_path / "lib"
    (root / "testcases").mkdir(parents=True)
    (root / "campaigns").mkdir()
    (root / "testcases" / "gated.yaml").write_text(
        "id: gated\nname: Gated\ngraph:\n  nodes:\n"
        "    - {id: start, type: start}\n"
        "    - {id: wait, type: action, actions: [{command: gate}]}\n"
        "    - {id: done, type: success}\n"
        "  edges: [{source: start, target: wait}, {source: wait, target: done}]\n"
    )
    (root / "campaigns" / "twice.yaml").write_text(
        "id: twice\nname: Twice\nitems: [{testcase_id: gated}, {name: again, testcase_id: gated}]\n"
    )
    async with host_factory([fake("d1")], library_path=root) as host:
        body = {"device_id": "d1", "campaign_id": "twice"}
        response = await host.client.post("/host/campaign/execute", json=body)
        assert response.status_code == 202
        assert await asyncio.to_thread(host.fake("d1").entered.acquire, timeout=5)
        (root / "testcases" / "gated.yaml").unlink()
        (root / "campaigns" / "twice.yaml").unlink()
        summary = (await host.client.post("/host/library/reload")).json()
        assert (summary["testcases"], summary["campaigns"]) == (0, 0)
        host.fake("d1").gate.set()
        view = await finished(host.client, response.json()["execution_id"])
        assert view["result"]["passed"] == 2


def test_whatever_a_check_of_one_definition_raises_is_a_problem_of_its_file() -> None:
    def broken_planner(tree: NavigationTree, library: DefinitionLibrary) -> None:
        if tree.id == "simtv":
            raise RuntimeError("a secret from the file")

    rules = DefinitionRules(
        DEFINITION_RULES.testcase_problems, DEFINITION_RULES.campaign_problems, broken_planner
    )
    library = load_library(LIBRARY, rules)
    problems = {p.file: p.message for p in library.problems}
    assert problems["trees/simtv.yaml"] == "cannot load: RuntimeError"
    assert "simtv" not in library.trees
    # What navigates it goes too, saying why; the rest loads.
    assert "no tree 'simtv' in the library" in problems["testcases/open_guide.yaml"]
    assert "webtv" in library.trees
