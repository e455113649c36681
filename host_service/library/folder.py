"""The definition files of one section of a library folder, and the ones refused unread.

Only regular files inside the library folder are read: a link is followed only if
where it leads is inside the folder too (a link to `/etc/passwd` or `/proc/self/environ`
is refused), and links to folders are not followed at all (`os.walk` without
`followlinks`), so a link loop cannot make the walk endless.
"""

import os
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = {".yaml", ".yml", ".json"}


@dataclass(frozen=True)
class DefinitionFile:
    name: str  # relative to the library folder, as problems and catalogues show it
    path: Path | None  # resolved, inside the folder; None when refused
    problem: str = ""


def _file(path: Path, name: str, real_root: Path) -> DefinitionFile:
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a broken link, or a loop of links
        return DefinitionFile(name, None, "a link that leads to no file")
    if not real.is_relative_to(real_root):
        return DefinitionFile(name, None, "a link that leads outside the library folder")
    if not real.is_file():
        return DefinitionFile(name, None, "not a regular file")
    return DefinitionFile(name, real)


def section_files(root: Path, folder: str) -> list[DefinitionFile]:
    """Every JSON or YAML file under `root/folder`, by name."""
    base = root / folder
    if not base.is_dir():
        return []
    real_root = root.resolve()
    found: list[DefinitionFile] = []

    def unlisted(exc: OSError) -> None:
        name = Path(exc.filename).relative_to(root).as_posix() if exc.filename else folder
        found.append(DefinitionFile(name, None, f"the folder cannot be listed ({exc.strerror})"))

    for current, folders, files in os.walk(base, onerror=unlisted):
        here = Path(current)
        for sub in folders:
            if (here / sub).is_symlink():
                name = (here / sub).relative_to(root).as_posix()
                found.append(DefinitionFile(name, None, "a link to a folder (not followed)"))
        for file in files:
            path = here / file
            if path.suffix in SUFFIXES:
                found.append(_file(path, path.relative_to(root).as_posix(), real_root))
    return sorted(found, key=lambda f: f.name)
