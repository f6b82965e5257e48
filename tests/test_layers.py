"""The house keeps its plan: layer contracts, no import cycles, no module over 500 lines.

The contracts live in pyproject.toml ([tool.importlinter]) and lint-imports checks them. It cannot
take single-file top-level modules as roots, so scheduler.py and settings.py are checked here by
reading their imports, and grimp's graph of our packages is searched for cycles.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crawler", "pipelines", "archive", "alerts", "newswatch")
TOP_MODULES = ("scheduler.py", "settings.py")
OURS = {*PACKAGES, "scheduler", "settings"}
MAX_LINES = 500


def _env() -> dict[str, str]:
    """This checkout first on the path, whatever checkout the environment was installed from."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def test_the_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every strongly connected set of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_of_ours_is_in_an_import_cycle() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True, cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))
    cycles = _cycles(graph)
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_search_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycles(graph) == [["pkg.a", "pkg.b"]]


def _imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Every module an import statement names (at any depth), skipping `if TYPE_CHECKING:` blocks."""

    def walk(node: ast.AST) -> Iterator[tuple[int, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                yield from (found for orelse in child.orelse for found in walk_one(orelse))
                continue
            yield from walk_one(child)

    def walk_one(node: ast.AST) -> Iterator[tuple[int, str]]:
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module
        yield from walk(node)

    yield from walk(tree)


def _top_imports(filename: str) -> list[tuple[int, str]]:
    tree = ast.parse((ROOT / filename).read_text(encoding="utf-8"), filename)
    return list(_imports(tree))


def test_the_scheduler_imports_nothing_from_the_cli_layer() -> None:
    """scheduler.py sits below newswatch: it may use alerts, pipelines, archive and crawler."""
    climbing = [
        (line, name)
        for line, name in _top_imports("scheduler.py")
        if name.split(".")[0] == "newswatch"
    ]
    assert climbing == []


def test_settings_import_none_of_our_modules() -> None:
    """Scrapy settings name components by dotted path; importing them would load the crawl."""
    ours = [
        (line, name) for line, name in _top_imports("settings.py") if name.split(".")[0] in OURS
    ]
    assert ours == []


def test_the_import_walk_sees_imports_inside_functions_but_not_type_only_ones() -> None:
    tree = ast.parse(
        "import a\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import hidden\nelse:\n    import shown\n"
        "def f():\n    from b.c import d\n"
        "from . import relative\n"
    )
    assert [name for _, name in _imports(tree)] == ["a", "typing", "shown", "b.c"]


def _our_python_files() -> Iterator[Path]:
    for package in (*PACKAGES, "bench"):
        yield from sorted((ROOT / package).rglob("*.py"))
    yield from (ROOT / name for name in TOP_MODULES)


@pytest.mark.parametrize("path", list(_our_python_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_500_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (at most {MAX_LINES})"
