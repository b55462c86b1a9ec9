"""The package's shape: no import cycles, and the layering rule of README's Design section.

A cycle makes the import order matter (a module half-initialised when its partner asks
for a name) and hides which layer depends on which; a function-level import only hides
it from the interpreter, not from the reader, so those count too. The graph is read
from the source with `ast`, never by importing, so the test is quick and sees every
import, including those under `if TYPE_CHECKING:` and inside functions.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import cardscan

PACKAGE = Path(cardscan.__file__).parent

# (importer's package, packages it must never import): README, Design, "Layers".
FORBIDDEN: list[tuple[str, tuple[str, ...]]] = [
    ("cardscan.book", ("cardscan.cli", "cardscan.review", "cardscan.export")),
    ("cardscan.state", ("cardscan.cli", "cardscan.review", "cardscan.export")),
    ("cardscan.ocr", ("cardscan.extract",)),
    ("cardscan.words", ("cardscan.ocr", "cardscan.extract", "cardscan.export")),
]


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its __init__)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["cardscan", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported(module: str, path: Path) -> Iterator[str]:
    """Every name an import statement anywhere in the module may refer to."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target
            # `from cardscan.book import columns` imports the submodule too
            yield from (f"{target}.{alias.name}" for alias in node.names)


def _packages(module: str) -> set[str]:
    """The packages whose __init__ runs before `module`: cardscan.book for book.cells."""
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (module-level and function-level).

    Importing `cardscan.book.cells` first runs `cardscan/book/__init__.py`, so a module
    also depends on the packages of what it imports: a package that re-exports a module
    which imports the importer is a cycle, even if no two modules name each other. A
    module's own packages are left out: they are always initialised before it.
    """
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        targets = {t for t in _imported(name, path) if t in modules}
        for t in list(targets):
            targets |= _packages(t) - _packages(name)
        graph[name] = targets - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    """Function-level, TYPE_CHECKING, relative and `from package import submodule`."""
    source = tmp_path / "core.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import cardscan.book.columns as col\n"
        "from cardscan.state import readings\n"
        "from .cells import printable\n"
        "if TYPE_CHECKING:\n"
        "    from cardscan.config import Pipeline\n"
        "def later():\n"
        "    from cardscan.review.page import write_page\n",
        encoding="utf-8",
    )
    found = set(_imported("cardscan.book.core", source))
    assert {
        "cardscan.book.columns",
        "cardscan.state.readings",
        "cardscan.book.cells",
        "cardscan.config",
        "cardscan.review.page",
    } <= found
    graph = import_graph()
    assert "cardscan.book.core" in graph["cardscan.book"]  # the package's re-export
    assert "cardscan.book" in graph["cardscan.state.undo"]  # book/__init__ runs first
    assert "cardscan.book" not in graph["cardscan.book.core"]  # its own package: already there


def test_no_import_cycles() -> None:
    found = [sorted(c) for c in cycles(import_graph())]
    assert found == [], f"import cycles: {found}"


def test_layers() -> None:
    """Lower layers never import higher ones (README, Design, "Layers")."""
    broken = []
    for module, imports in sorted(import_graph().items()):
        for importer, forbidden in FORBIDDEN:
            if not _within(module, importer):
                continue
            broken += [
                f"{module} -> {t}" for t in sorted(imports) for f in forbidden if _within(t, f)
            ]
    assert broken == [], "\n".join(broken)


def test_nothing_but_the_cli_imports_the_cli() -> None:
    outside = [
        f"{module} -> {t}"
        for module, imports in sorted(import_graph().items())
        if not _within(module, "cardscan.cli")
        for t in sorted(imports)
        if _within(t, "cardscan.cli")
    ]
    assert outside == [], "\n".join(outside)
