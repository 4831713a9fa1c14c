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


#: The book's developer guide: it holds the module map and the dependency table.
DEVELOPER_GUIDE = PACKAGE.parent.parent / "docs" / "developers.md"
MODULE_PATH = re.compile(r"`((?:core|sphinxext|commands)/[\w/]*(?:\.py|/))`")


def table_rows(text: str, header: str) -> list[list[str]]:
    """The cells of each row of the Markdown table whose header row is ``header``."""
    lines = text.splitlines()
    start = lines.index(header) + 2  # the header row, then the --- row
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return rows


def module_map(text: str) -> tuple[set[str], set[str]]:
    """The module paths the map's first column names (`core/x.py`, `commands/revue/` …), and
    every module path named anywhere in the map."""
    rows = table_rows(text, "| module | its job |")
    listed = {path for row in rows for path in MODULE_PATH.findall(row[0])}
    named = {path for row in rows for cell in row for path in MODULE_PATH.findall(cell)}
    return listed, named


def package_modules() -> set[str]:
    """The package's modules as the map names them: a sub-package counts as one."""
    modules = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 1 or (path.name == "__init__.py" and len(parts) == 2):
            continue
        modules.add(f"{parts[0]}/{parts[1]}/" if len(parts) > 2 else "/".join(parts))
    return modules


def test_module_map_matches_the_tree() -> None:
    """The developer guide's map has a row for every module and names nothing else."""
    listed, named = module_map(DEVELOPER_GUIDE.read_text(encoding="utf-8"))
    modules = package_modules()
    # A package's __init__.py may be named (where setup() lives); it needs no row.
    listed = {path for path in listed if not path.endswith("__init__.py")}
    assert {
        "not in the map": modules - listed,
        "a row for no module": listed - modules,
        "not in the tree": {path for path in named if not (PACKAGE / path).exists()},
    } == {"not in the map": set(), "a row for no module": set(), "not in the tree": set()}


def test_module_map_misses_are_found() -> None:
    text = """| module | its job |
| --- | --- |
| **`core/`** | **the content model** |
| `core/cards.py`, `core/urls.py` | cards; see `core/gone.py` |
| `commands/revue/` | `import-revue` |

After the table, `core/after.py` is not part of it.
"""
    assert module_map(text) == (
        {"core/cards.py", "core/urls.py", "commands/revue/"},
        {"core/cards.py", "core/urls.py", "core/gone.py", "commands/revue/"},
    )


def test_readme_links_lead_to_files_of_the_repository() -> None:
    """The README is mostly a pointer to the guides: each relative link names a file or
    folder that exists, and it leads to both guides."""
    readme = (PACKAGE.parent.parent / "README.md").read_text(encoding="utf-8")
    targets = [t for t in re.findall(r"\]\(([^)]+)\)", readme) if "://" not in t]
    assert [t for t in targets if not (PACKAGE.parent.parent / t).exists()] == []
    assert {"docs/contributing.md", "docs/developers.md"} <= set(targets)
