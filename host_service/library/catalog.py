"""DefinitionLibrary: the definitions a host loaded, by kind and id, and what failed to load."""

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from host_service.errors import NotFoundError
from schemas.campaign import CampaignDefinition
from schemas.library import DefinitionSummary, LibraryProblem, LibrarySummary
from schemas.navigation import NavigationTree
from schemas.testcase import TestcaseDefinition


class Definition(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...


T = TypeVar("T", bound=Definition)
D = TypeVar("D")


class Section(Generic[T]):
    """The definitions of one kind, each with the file it came from."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, tuple[T, str]] = {}
        # Values computed from a definition (a tree's planner); a reload brings a new
        # Section, so they never outlive the definition they came from.
        self._derived: dict[tuple[str, Hashable], Any] = {}

    def add(self, definition: T, file: str) -> None:
        self._entries[definition.id] = (definition, file)

    def remove(self, definition_id: str) -> None:
        self._entries.pop(definition_id, None)

    def __contains__(self, definition_id: object) -> bool:
        return definition_id in self._entries

    def file_of(self, definition_id: str) -> str | None:
        entry = self._entries.get(definition_id)
        return None if entry is None else entry[1]

    def get(self, definition_id: str) -> T:
        entry = self._entries.get(definition_id)
        if entry is None:
            raise NotFoundError(
                f"no {self.kind} {definition_id!r} in the library; known: {sorted(self._entries)}",
                code=f"{self.kind}_not_found",
            )
        return entry[0]

    def derived(self, definition_id: str, key: Hashable, build: Callable[[T], D]) -> D:
        """`build(definition)`, computed once per definition and key, then kept."""
        memo = (definition_id, key)
        if memo not in self._derived:
            self._derived[memo] = build(self.get(definition_id))
        value: D = self._derived[memo]
        return value

    def all(self) -> list[T]:
        return [definition for definition, _ in self._entries.values()]

    def summaries(self) -> list[DefinitionSummary]:
        return [
            DefinitionSummary(id=d.id, name=d.name, description=d.description, file=file)
            for d, file in sorted(self._entries.values(), key=lambda entry: entry[0].id)
        ]


class DefinitionLibrary:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.trees: Section[NavigationTree] = Section("tree")
        self.testcases: Section[TestcaseDefinition] = Section("testcase")
        self.campaigns: Section[CampaignDefinition] = Section("campaign")
        self.problems: list[LibraryProblem] = []

    def snapshot(self) -> "DefinitionLibrary":
        """The definitions as they are now: a reload swaps sections, it never edits them."""
        frozen = DefinitionLibrary(self.root)
        frozen.replace_with(self)
        return frozen

    def replace_with(self, other: "DefinitionLibrary") -> None:
        """Take a freshly loaded library's content; runs already started keep their plans."""
        self.trees, self.testcases, self.campaigns = other.trees, other.testcases, other.campaigns
        self.problems = other.problems

    def summary(self) -> LibrarySummary:
        return LibrarySummary(
            folder=None if self.root is None else str(self.root),
            trees=len(self.trees.all()),
            testcases=len(self.testcases.all()),
            campaigns=len(self.campaigns.all()),
            problems=self.problems,
        )
