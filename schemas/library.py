"""The definition library as its catalogue routes show it."""

from typing import Literal

from pydantic import Field

from schemas.base import ResponseModel

DefinitionKind = Literal["tree", "testcase", "campaign"]


class DefinitionSummary(ResponseModel):
    id: str
    name: str
    description: str = ""
    file: str | None = Field(default=None, description="Library file, relative to its folder.")


class LibraryProblem(ResponseModel):
    """A library file, or a definition in it, that could not be loaded, and why."""

    file: str
    kind: DefinitionKind | None = None
    message: str


class LibrarySummary(ResponseModel):
    folder: str | None
    trees: int
    testcases: int
    campaigns: int
    problems: list[LibraryProblem] = Field(default_factory=list)
