"""Which files of a library folder are read: regular files inside it, links only if they
stay inside, never a folder link."""

import os
from pathlib import Path

from host_service.library.folder import DefinitionFile, section_files


def library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    (root / "trees" / "sub").mkdir(parents=True)
    (root / "trees" / "a.yaml").write_text("id: a\n")
    (root / "trees" / "sub" / "b.json").write_text("{}")
    (root / "trees" / "notes.txt").write_text("not a definition")
    (root / "shared").mkdir()
    (root / "shared" / "c.yaml").write_text("id: c\n")
    return root


def test_regular_files_and_links_that_stay_inside_are_read(tmp_path: Path) -> None:
    root = library(tmp_path)
    os.symlink(root / "shared" / "c.yaml", root / "trees" / "c.yaml")
    assert section_files(root, "trees") == [
        DefinitionFile("trees/a.yaml", (root / "trees" / "a.yaml").resolve()),
        DefinitionFile("trees/c.yaml", (root / "shared" / "c.yaml").resolve()),
        DefinitionFile("trees/sub/b.json", (root / "trees" / "sub" / "b.json").resolve()),
    ]


def test_links_outside_broken_links_folder_links_and_fifos_are_refused(tmp_path: Path) -> None:
    root = library(tmp_path)
    (tmp_path / "outside.yaml").write_text("password: x\n")
    os.symlink(tmp_path / "outside.yaml", root / "trees" / "out.yaml")
    os.symlink(root / "trees" / "ghost.yaml", root / "trees" / "broken.yaml")
    os.symlink(tmp_path, root / "trees" / "up")  # a folder link: even outside, never walked
    os.mkfifo(root / "trees" / "pipe.yaml")
    refused = {f.name: f.problem for f in section_files(root, "trees") if f.path is None}
    assert refused == {
        "trees/out.yaml": "a link that leads outside the library folder",
        "trees/broken.yaml": "a link that leads to no file",
        "trees/up": "a link to a folder (not followed)",
        "trees/pipe.yaml": "not a regular file",
    }


def test_a_library_reached_through_a_link_reads_its_own_files(tmp_path: Path) -> None:
    root = library(tmp_path)
    os.symlink(root, tmp_path / "mounted")
    names = [f.name for f in section_files(tmp_path / "mounted", "trees") if f.path is not None]
    assert names == ["trees/a.yaml", "trees/sub/b.json"]
