"""Reads a library folder: `trees/`, `testcases/` and `campaigns/`, YAML or JSON files.

Each file holds one definition. A file that cannot be read or validated is
recorded as a problem with its name and the reason, logged, and skipped: the
other definitions still load, whatever the file holds (reading.py bounds it,
folder.py keeps the walk inside the folder), and nothing one file does stops a
host from starting or makes a reload fail. Testcases are checked against the
trees, and campaigns against the testcases, once every file is read.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from host_service.library.catalog import DefinitionLibrary, Section
from host_service.library.folder import section_files
from host_service.library.reading import LibraryLimits, UnreadableFileError, read_definition
from host_service.runtime.logs import execution_logger
from schemas.campaign import CampaignDefinition
from schemas.library import DefinitionKind, LibraryProblem
from schemas.navigation import NavigationTree
from schemas.testcase import TestcaseDefinition

log = execution_logger("library")

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


@dataclass
class _Guarded:
    failed: bool = False


class _Loader:
    def __init__(self, root: Path, rules: DefinitionRules, limits: LibraryLimits) -> None:
        self.library = DefinitionLibrary(root)
        self.root = root
        self.rules = rules
        self.limits = limits

    def problem(self, file: str, kind: DefinitionKind | None, message: str) -> None:
        log.warning("library file %s skipped: %s", file, message)
        self.library.problems.append(LibraryProblem(file=file, kind=kind, message=message))

    @contextmanager
    def guard(self, file: str, kind: DefinitionKind | None) -> Iterator[_Guarded]:
        """Whatever goes wrong in the block is a problem of `file`; `.failed` says if it did."""
        guarded = _Guarded()
        try:
            yield guarded
        except Exception as exc:  # one file, whatever it holds, must never stop the host
            guarded.failed = True
            # The exception's text may quote the file: only its type is shown.
            self.problem(file, kind, f"cannot load: {type(exc).__name__}")
            log.debug("library file %s", file, exc_info=True)

    def load_file(
        self, path: Path, file: str, kind: DefinitionKind, model: type[BaseModel]
    ) -> None:
        try:
            definition = model.model_validate(read_definition(path, self.limits))
        except UnreadableFileError as exc:
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
            file = library.testcases.file_of(testcase.id) or testcase.id
            with self.guard(file, "testcase") as guarded:
                problems = self.rules.testcase_problems(testcase, library)
            if guarded.failed:
                library.testcases.remove(testcase.id)
            elif problems:
                text = "; ".join(
                    f"{'.'.join(map(str, p['loc'][1:]))}: {p['msg']}" for p in problems
                )
                self.problem(file, "testcase", f"invalid testcase {testcase.id!r}: {text}")
                library.testcases.remove(testcase.id)
        for campaign in library.campaigns.all():
            file = library.campaigns.file_of(campaign.id) or campaign.id
            with self.guard(file, "campaign") as guarded:
                problems = self.rules.campaign_problems(campaign, library)
            if guarded.failed:
                library.campaigns.remove(campaign.id)
                continue
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


def load_library(
    root: Path | None, rules: DefinitionRules, limits: LibraryLimits | None = None
) -> DefinitionLibrary:
    """Load every definition under `root`; what fails is in `library.problems`."""
    if root is None:
        return DefinitionLibrary()
    loader = _Loader(root, rules, limits or LibraryLimits())
    if not root.is_dir():
        loader.problem(str(root), None, "library folder not found")
        return loader.library
    for folder, kind, model in FOLDERS:
        with loader.guard(folder, kind):
            for entry in section_files(root, folder):
                if entry.path is None:
                    loader.problem(entry.name, kind, f"cannot read: {entry.problem}")
                    continue
                with loader.guard(entry.name, kind):
                    loader.load_file(entry.path, entry.name, kind, model)
    library = loader.library
    for tree in library.trees.all():  # before the testcases are checked against the trees
        file = library.trees.file_of(tree.id) or tree.id
        with loader.guard(file, "tree") as guarded:
            # Built here, off the request path: a 500-node tree takes ~0.1 s to expand.
            rules.prepare_tree(tree, library)
        if guarded.failed:
            library.trees.remove(tree.id)
    loader.check_references()
    log.info(
        "library %s: %d trees, %d testcases, %d campaigns, %d problems",
        root,
        len(library.trees.all()),
        len(library.testcases.all()),
        len(library.campaigns.all()),
        len(library.problems),
    )
    return library
