"""Reads a library folder: `trees/`, `testcases/` and `campaigns/`, YAML or JSON files.

Each file holds one definition. A file that cannot be read or validated is
recorded as a problem with its name and the reason, logged, and skipped: the
other definitions still load. Testcases are checked against the trees, and
campaigns against the testcases, once every file is read.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from host_service.library.catalog import DefinitionLibrary, Section
from host_service.runtime.logs import execution_logger
from schemas.campaign import CampaignDefinition
from schemas.library import DefinitionKind, LibraryProblem
from schemas.navigation import NavigationTree
from schemas.testcase import TestcaseDefinition

log = execution_logger("library")

SUFFIXES = {".yaml", ".yml", ".json"}
FOLDERS: list[tuple[str, DefinitionKind, type[BaseModel]]] = [
    ("trees", "tree", NavigationTree),
    ("testcases", "testcase", TestcaseDefinition),
    ("campaigns", "campaign", CampaignDefinition),
]


Problems = list[dict[str, Any]]


@dataclass(frozen=True)
class DefinitionRules:
    """What the execution kinds check of each definition once the whole library is read.

    Passed in by the lifespan, so the library sits below the kinds that use it.
    """

    testcase_problems: Callable[[TestcaseDefinition, DefinitionLibrary], Problems]
    campaign_problems: Callable[[CampaignDefinition, DefinitionLibrary], Problems]
    # Builds what a tree's runs need (its planner) off the request path.
    prepare_tree: Callable[[NavigationTree, DefinitionLibrary], None]


def _explain(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:10]:
        where = ".".join(str(p) for p in error["loc"]) or "(top)"
        parts.append(f"{where}: {error['msg']}")
    more = exc.error_count() - 10
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


class _Loader:
    def __init__(self, root: Path, rules: DefinitionRules) -> None:
        self.library = DefinitionLibrary(root)
        self.root = root
        self.rules = rules

    def problem(self, file: str, kind: DefinitionKind | None, message: str) -> None:
        log.warning("library file %s skipped: %s", file, message)
        self.library.problems.append(LibraryProblem(file=file, kind=kind, message=message))

    def load_file(self, path: Path, kind: DefinitionKind, model: type[BaseModel]) -> None:
        file = path.relative_to(self.root).as_posix()
        try:
            definition = model.model_validate(_read(path))
        except (OSError, UnicodeDecodeError, yaml.YAMLError, json.JSONDecodeError) as exc:
            self.problem(file, kind, f"cannot read: {exc}")
            return
        except ValidationError as exc:
            self.problem(file, kind, f"invalid {kind}: {_explain(exc)}")
            return
        sections: dict[str, Section[Any]] = {
            "tree": self.library.trees,
            "testcase": self.library.testcases,
            "campaign": self.library.campaigns,
        }
        section = sections[kind]
        definition_id = getattr(definition, "id", "")
        if definition_id in section:
            other = section.file_of(definition_id)
            self.problem(file, kind, f"duplicate {kind} id {definition_id!r}, also in {other}")
            return
        section.add(definition, file)

    def check_references(self) -> None:
        library = self.library
        for testcase in library.testcases.all():
            problems = self.rules.testcase_problems(testcase, library)
            if problems:
                file = library.testcases.file_of(testcase.id) or testcase.id
                text = "; ".join(
                    f"{'.'.join(map(str, p['loc'][1:]))}: {p['msg']}" for p in problems
                )
                self.problem(file, "testcase", f"invalid testcase {testcase.id!r}: {text}")
                library.testcases.remove(testcase.id)
        for campaign in library.campaigns.all():
            file = library.campaigns.file_of(campaign.id) or campaign.id
            problems = self.rules.campaign_problems(campaign, library)
            if problems:
                text = "; ".join(
                    f"{'.'.join(map(str, p['loc'][1:]))}: {p['msg']}" for p in problems
                )
                self.problem(file, "campaign", f"invalid campaign {campaign.id!r}: {text}")
                library.campaigns.remove(campaign.id)
                continue
            missing = [
                i.testcase_id
                for i in campaign.items
                if i.testcase_id is not None and i.testcase_id not in library.testcases
            ]
            if missing:
                self.problem(file, "campaign", f"unknown or invalid testcases: {missing}")
                library.campaigns.remove(campaign.id)


def load_library(root: Path | None, rules: DefinitionRules) -> DefinitionLibrary:
    """Load every definition under `root`; what fails is in `library.problems`."""
    if root is None:
        return DefinitionLibrary()
    loader = _Loader(root, rules)
    if not root.is_dir():
        loader.problem(str(root), None, "library folder not found")
        return loader.library
    for folder, kind, model in FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES:
                loader.load_file(path, kind, model)
    loader.check_references()
    library = loader.library
    for tree in library.trees.all():
        # Built here, off the request path: a 500-node tree takes ~0.1 s to expand.
        rules.prepare_tree(tree, library)
    log.info(
        "library %s: %d trees, %d testcases, %d campaigns, %d problems",
        root,
        len(library.trees.all()),
        len(library.testcases.all()),
        len(library.campaigns.all()),
        len(library.problems),
    )
    return library
