"""The engine's modules import one another in one direction: no cycle, not even one for type hints only.

The graph is read from the source with ``ast`` (every ``import`` and ``from ... import``, including those under
``if TYPE_CHECKING:``), so a cycle is caught before anything is imported.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "engine"


def _module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The package's modules that one import statement names."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if not isinstance(node, ast.ImportFrom):
        return set()
    base = node.module or ""
    if node.level:  # a relative import: from the module's own package upwards
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    found = {base} if base in known else set()
    # "from engine import api" names the submodule, not only the package.
    return found | {f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports."""
    paths = {_module_name(path, package): path for path in package.rglob("*.py")}
    known = set(paths)
    graph = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        graph[module] = {name for node in ast.walk(tree)
                         for name in _imported(node, module, is_package, known) if name != module}
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        return list(error.args[1])
    return None


def test_the_engine_imports_without_a_cycle() -> None:
    graph = import_graph()
    assert cycle(graph) is None, f"import cycle: {' -> '.join(cycle(graph) or [])}"


def test_the_graph_sees_every_kind_of_import() -> None:
    # The check above can fail: the graph holds the edges the engine is known to have, type-only ones too.
    graph = import_graph()
    assert "engine.outcomes" in graph["engine.rules"]
    assert "engine.case" in graph["engine.outcomes"]
    assert "engine.checks" in graph["engine.validation"]  # under TYPE_CHECKING
    assert "engine.api" in graph["engine"]
    assert {"engine.rules", "engine.pathway"} <= {name for names in graph.values() for name in names}


@pytest.mark.parametrize("sources", [
    {"a.py": "from engine.b import x\n", "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                                 "    from engine.a import y\n"},
    {"__init__.py": "from engine import a\n", "a.py": "from . import b\n", "b.py": "import engine\n"},
])
def test_a_cycle_is_found(tmp_path: Path, sources: dict[str, str]) -> None:
    package = tmp_path / "engine"
    package.mkdir()
    for name, text in sources.items():
        (package / name).write_text(text, encoding="utf-8")
    assert cycle(import_graph(package)) is not None
