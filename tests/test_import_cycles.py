"""No import cycles among the modules of wasmem.

Reads every module of ``src/wasmem`` with :mod:`ast`, collects the imports executed when
the module is imported (top-level statements, ``try``/``else`` bodies; not function
bodies, not ``if TYPE_CHECKING:`` blocks), and fails on any strongly connected group of
two or more modules. Importing ``a.b.c`` also runs ``a/__init__.py`` and ``a/b/__init__.py``,
so those packages count as imported too.

A second graph adds every other import (inside functions, under ``TYPE_CHECKING``):
a cycle there is a dependency in both directions that a deferred import only hides. It
must be empty too, but for the groups of :data:`KNOWN_DEFERRED_CYCLES`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import wasmem

ROOT = Path(wasmem.__file__).parent


def _modules() -> dict[str, tuple[Path, bool]]:
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = ["wasmem", *path.relative_to(ROOT).with_suffix("").parts]
        package = parts[-1] == "__init__"
        if package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, package)
    return found


def _anywhere(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement of the module, wherever it is."""
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                yield node


def _executed(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements run at import time (``if TYPE_CHECKING`` excluded)."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            test = ast.unparse(node.test)
            if "TYPE_CHECKING" not in test:
                yield from _executed(node.body)
            yield from _executed(node.orelse)
        elif isinstance(node, ast.Try):
            for part in (node.body, node.orelse, node.finalbody,
                         *(h.body for h in node.handlers)):
                yield from _executed(part)


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_graph(*, deferred: bool = False) -> dict[str, set[str]]:
    """Module name -> the wasmem modules importing it runs (directly); with ``deferred``,
    also those its functions and type annotations import."""
    modules = _modules()
    imports = _anywhere if deferred else _executed
    graph: dict[str, set[str]] = {}
    for name, (path, package) in modules.items():
        here = name if package else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in imports(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            if node.level:
                base_parts = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            targets.add(base)
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    targets.add(f"{base}.{alias.name}")
        own = set(_ancestors(name))
        deps = set()
        for target in targets:
            for candidate in (*_ancestors(target), target):
                if candidate in modules and candidate not in own and candidate != name:
                    deps.add(candidate)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_relative_imports() -> None:
    graph = import_graph()
    assert "wasmem.valid" in graph["wasmem.load.binary"]
    assert "wasmem.syntax" in graph["wasmem.valid.types"]  # the package runs too


def test_no_import_cycles() -> None:
    graph = import_graph()
    found = cycles(graph)
    assert not found, "\n".join(
        " <-> ".join(group) + ": " + "; ".join(
            f"{m} imports {sorted(graph[m] & set(group))}" for m in group)
        for group in found)


KNOWN_DEFERRED_CYCLES: dict[frozenset[str], str] = {
    frozenset({"wasmem.exec.compiler.codegen", "wasmem.exec.compiler.emit_blocks",
               "wasmem.exec.compiler.emit_branches", "wasmem.exec.compiler.emit_calls",
               "wasmem.exec.compiler.emit_memory", "wasmem.exec.compiler.emit_numeric",
               "wasmem.exec.compiler.emit_variables", "wasmem.exec.compiler.view_records"}):
        "type annotations only: each emitter module (and view_records, the emitters' "
        "helper) takes the compiler as an argument and names its class under "
        "TYPE_CHECKING; the compiler imports the emitters' tables",
}
"""Cycles of the deferred graph still allowed, with the reason (a group that grows fails)."""


def test_the_deferred_graph_sees_imports_in_functions() -> None:
    assert "wasmem.tools.alloc" in import_graph(deferred=True)["wasmem.memory.regions"]
    assert "wasmem.tools.alloc" not in import_graph()["wasmem.memory.regions"]


def test_no_deferred_import_cycles() -> None:
    graph = import_graph(deferred=True)
    found = [group for group in cycles(graph) if frozenset(group) not in KNOWN_DEFERRED_CYCLES]
    assert not found, "\n".join(
        " <-> ".join(group) + ": " + "; ".join(
            f"{m} imports {sorted(graph[m] & set(group))}" for m in group)
        for group in found)
