"""The definition library: navigation trees, testcases and campaigns read from a folder."""

from host_service.library.catalog import DefinitionLibrary, Section
from host_service.library.loader import DefinitionRules, load_library

__all__ = ["DefinitionLibrary", "DefinitionRules", "Section", "load_library"]
