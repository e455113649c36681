"""The definition library: navigation trees, testcases and campaigns read from a folder."""

from host_service.library.catalog import DefinitionLibrary, Section
from host_service.library.loader import DefinitionRules, load_library
from host_service.library.reading import LibraryLimits

__all__ = ["DefinitionLibrary", "DefinitionRules", "LibraryLimits", "Section", "load_library"]
