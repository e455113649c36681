"""The host's packages only import downwards (STYLE: web -> engine -> kinds -> steps -> drivers)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "host_service"

# Highest first. A module may import from its own layer and those below it.
LAYERS: list[set[str]] = [
    # the package's face (__init__) and the web layer
    {"__init__", "__main__", "app", "lifespan", "state", "deps", "routes", "auth", "barrier"},
    {"announcer"},
    {"journal"},  # listens to the engine's registry, which knows nothing of it
    {"engine"},
    {"kinds"},
    {"library", "blocks", "steps"},
    {"drivers"},
    {"runtime"},
    {"config", "settings", "errors"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def top_name(module: str) -> str:
    return module.split(".")[1]


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, m) for line, m in found if m.split(".")[0] == "host_service"]


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_top_level_name_has_a_layer() -> None:
    names = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in MODULES}
    assert names == set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    own = RANK[path.relative_to(PACKAGE).parts[0].removesuffix(".py")]
    upward = [
        f"line {line}: {module}"
        for line, module in imports(path)
        if module != "host_service" and RANK[top_name(module)] < own
    ]
    assert upward == []


def test_no_function_local_imports_of_the_host() -> None:
    local = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                        "host_service"
                    ):
                        local.append(f"{path.relative_to(PACKAGE)}:{inner.lineno}")
    assert local == []


def test_the_host_root_keeps_only_the_apps_face() -> None:
    root = [p.name for p in PACKAGE.glob("*.py")]
    assert len(root) <= 14, sorted(root)
