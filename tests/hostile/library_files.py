"""Library files an adversary with write access to a shared library folder would drop in.

Each writer returns the reason the host must give for refusing its file. `SECRET`
stands for content outside the library (a password line) that must never come back
through `/host/library/problems`.
"""

import itertools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

SECRET = "hunter2-not-for-your-eyes"
MIB = 1024 * 1024


def _tree(tree_id: str, nodes: int = 2, **edge: Any) -> dict[str, Any]:
    ids = [f"n{i}" for i in range(nodes)]
    return {
        "id": tree_id,
        "name": tree_id,
        "nodes": [{"id": i, "label": i, "type": "entry" if i == "n0" else "screen"} for i in ids],
        "edges": [
            {"source": a, "target": b, "actions": [{"command": "press_key", **edge}]}
            for a, b in itertools.pairwise(ids)
        ],
    }


def _bomb(levels: int) -> str:
    """A "billion laughs" as a flow mapping: each level a list of nine aliases of the one
    before, so it expands to 9 ** levels values."""
    items = ["l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    items += [f"l{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "{" + ", ".join(items) + "}"


def tree_alias_bomb(root: Path) -> str:
    """9 levels in an edge's params: `GET /host/library/trees/bomb` answered 2.7 GB."""
    (root / "trees" / "bomb.yaml").write_text(
        "id: bomb\nname: Bomb\nnodes:\n  - {id: n0, label: n0, type: entry}\n"
        "  - {id: n1, label: n1}\nedges:\n  - source: n0\n    target: n1\n"
        f"    actions: [{{command: press_key, params: {_bomb(9)}}}]\n"
    )
    return "its data expands to more than 250,000 values"


def testcase_alias_bomb(root: Path) -> str:
    """8 levels in a testcase's variables: start-up took 47 s and the run 11.5 GB."""
    (root / "testcases" / "bomb.yaml").write_text(
        f"id: bomb\nname: Bomb\nvariables: {_bomb(8)}\ngraph:\n  nodes:\n"
        "    - {id: s, type: start}\n    - {id: ok, type: success}\n"
        "  edges: [{source: s, target: ok}]\n"
    )
    return "its data expands to more than 250,000 values"


def json_long_integer(root: Path) -> str:
    (root / "trees" / "digits.json").write_text('{"id": "digits", "weight": ' + "9" * 5000 + "}")
    return "a number has more digits than the 4,300 allowed"


def yaml_nested_5000_deep(root: Path) -> str:
    (root / "trees" / "deep.yaml").write_text("[" * 5000 + "]" * 5000)
    return "not valid YAML"


def yaml_nested_past_the_depth_limit(root: Path) -> str:
    (root / "trees" / "deeper.yaml").write_text("id: deeper\nname: x\nx: " + "[" * 200 + "]" * 200)
    return "its data is nested deeper than 64 levels"


def recursive_alias(root: Path) -> str:
    (root / "trees" / "itself.yaml").write_text("id: itself\nname: x\nnodes: &n [*n]\n")
    return "its data contains itself"


def tree_of_10_000_nodes(root: Path) -> str:
    """2.2 MB: over the file size limit, refused unread (it took 38 s and 2.9 GB)."""
    tree = _tree("huge", 10_000, params={"key": "RIGHT"})
    text = json.dumps(tree, indent=1)
    assert len(text) > 2 * MIB
    (root / "trees" / "huge.json").write_text(text)
    return "larger than the 2,097,152 bytes a definition file may have"


def compact_tree_of_10_000_nodes(root: Path) -> str:
    """Under the size limit, but past the nodes a tree may have."""
    (root / "trees" / "wide.json").write_text(json.dumps(_tree("wide", 10_000)))
    return "nodes: List should have at most 2000 items"


def link_outside(root: Path) -> str:
    outside = root.parent / "secrets.yaml"
    outside.write_text(f"password: {SECRET}\n")
    os.symlink(outside, root / "trees" / "secrets.yaml")
    return "a link that leads outside the library folder"


def link_to_process_environment(root: Path) -> str:
    os.symlink("/proc/self/environ", root / "trees" / "environ.yaml")
    return "a link that leads outside the library folder"


def link_loop(root: Path) -> str:
    os.symlink(".", root / "trees" / "loop")
    return "a link to a folder (not followed)"


def yaml_error_on_a_secret_line(root: Path) -> str:
    (root / "trees" / "typo.yaml").write_text(f"id: typo\npassword: {SECRET}: x\n")
    return "not valid YAML: mapping values are not allowed in this context at line 2, column"


def yaml_tag_naming_a_secret(root: Path) -> str:
    (root / "trees" / "tag.yaml").write_text(f"id: !!python/object/apply:os.system ['{SECRET}']\n")
    return "not valid YAML: could not determine a constructor for the tag '...'"


def not_utf8(root: Path) -> str:
    (root / "trees" / "latin1.yaml").write_bytes(b"id: caf\xe9\n")
    return "cannot read: not UTF-8 text (byte 7)"


HOSTILE_FILES: dict[str, Callable[[Path], str]] = {
    "trees/bomb.yaml": tree_alias_bomb,
    "testcases/bomb.yaml": testcase_alias_bomb,
    "trees/digits.json": json_long_integer,
    "trees/deep.yaml": yaml_nested_5000_deep,
    "trees/deeper.yaml": yaml_nested_past_the_depth_limit,
    "trees/itself.yaml": recursive_alias,
    "trees/huge.json": tree_of_10_000_nodes,
    "trees/wide.json": compact_tree_of_10_000_nodes,
    "trees/secrets.yaml": link_outside,
    "trees/environ.yaml": link_to_process_environment,
    "trees/loop": link_loop,
    "trees/typo.yaml": yaml_error_on_a_secret_line,
    "trees/tag.yaml": yaml_tag_naming_a_secret,
    "trees/latin1.yaml": not_utf8,
}
