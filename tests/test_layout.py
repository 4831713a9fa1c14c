"""The package's layers: core (the content model) <- sphinxext (the Sphinx extension) <-
commands (the command line). Read from the sources with ``ast``, so a lazy import inside a
function counts as much as one at the top of a module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "ext" / "newsarchive"
#: A layer may import the layers after it in this list, never those before it.
LAYERS = ("commands", "sphinxext", "core")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``path`` imports (``from a import b`` counts as ``a.b``
    when ``a.b`` is a module, else as ``a``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in known else node.module)
    return {name for name in found if name in known}


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports. The package itself (``__version__``,
    ``setup``) is left out as a target: Python runs it before any of its modules anyway."""
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(path) for path in paths} - {"newsarchive"}
    return {module_name(path): imported_modules(path, known) for path in paths}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return groups


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports from a lower layer to a higher one (core -> sphinxext, sphinxext -> commands)."""
    rank = {layer: position for position, layer in enumerate(LAYERS)}
    return sorted(
        (module, target)
        for module, targets in graph.items()
        for target in targets
        if (low := layer_of(module)) and (high := layer_of(target)) and rank[high] < rank[low]
    )


def test_every_module_is_in_a_layer() -> None:
    """Only the package's ``__init__`` (which loads the extension) sits outside the layers."""
    assert [m for m in import_graph() if layer_of(m) is None] == ["newsarchive"]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_lower_layers_never_import_higher_ones() -> None:
    assert upward_imports(import_graph()) == []


@pytest.mark.parametrize(
    ("graph", "found"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_cycles_are_found(graph: dict[str, set[str]], found: list[list[str]]) -> None:
    assert cycles(graph) == found


def test_upward_imports_are_found() -> None:
    graph = {
        "newsarchive.core.x": {"newsarchive.sphinxext.y"},
        "newsarchive.sphinxext.y": {"newsarchive.core.x", "newsarchive.commands.z"},
        "newsarchive.commands.z": {"newsarchive.core.x", "newsarchive.sphinxext.y"},
    }
    assert upward_imports(graph) == [
        ("newsarchive.core.x", "newsarchive.sphinxext.y"),
        ("newsarchive.sphinxext.y", "newsarchive.commands.z"),
    ]


def readme_map() -> set[str]:
    """The module paths the README's module map names (`core/x.py`, `commands/revue/` …)."""
    text = (PACKAGE.parent.parent / "README.md").read_text(encoding="utf-8")
    start = text.index("`ext/newsarchive/` has three layers")
    section = text[start : text.index("\n## ", start)]
    named = re.findall(r"`((?:core|sphinxext|commands)/[\w/]*(?:\.py|/))`", section)
    return {path for path in named if not path.endswith("__init__.py")}


def test_readme_map_matches_the_tree() -> None:
    """Every module (a sub-package counts as one) is in the map; the map names nothing else."""
    modules = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 1 or (path.name == "__init__.py" and len(parts) == 2):
            continue
        modules.add(f"{parts[0]}/{parts[1]}/" if len(parts) > 2 else "/".join(parts))
    assert readme_map() == modules
