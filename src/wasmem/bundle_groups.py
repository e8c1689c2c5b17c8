"""Which of wasmem's modules are imported together: the groups of the import bundle.

:func:`wasmem.bundle.build` stores the modules of one group as one marshalled
tuple of code objects, unmarshalled at once when the first of them is imported: one
``marshal.loads`` of a phase's modules shares the names and constants they repeat (read
once, then referred to) and costs about a quarter fewer instructions than one call per
module (``bench/STARTUP.md``, tenth round). A group must hold only modules that are
imported together, or a process would unmarshal code it never runs; this module finds
them from the sources, without running them:

* a module's *static imports* are the ``import`` statements its body runs when it is
  imported (at its top level, in ``if``/``try``/``with``/``class`` bodies; not in
  functions, nor under ``if TYPE_CHECKING:``), with the packages above each module
  imported (a package's ``__init__`` runs before its modules);
* the *roots* are the package itself, the modules imported inside functions (imported
  later, when first needed: the validator, the translator, the interpreter...) and the
  modules no other module imports statically (entry points, ``python -m``);
* a module's *key* is the set of roots whose static closure holds it, and the modules
  of one key are one group: importing a root imports every module of every group whose
  key names it, and nothing else of those groups.

A module imported some other way (by name, through ``importlib``) is its own root when
nothing imports it statically; where the analysis is wrong, a group's blob holds code
that is not run (a cost, never a fault: every module is still checked against its source
and imported as Python would when it is stale or missing).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

__all__ = ["groups"]

Source = tuple[str, str | bytes, bool]
"""``(module name, source (text, or bytes as in a file), is a package)``."""


def groups(package: str, sources: Sequence[Source]) -> list[list[str]]:
    """The groups of the modules of ``package`` (module docstring), each sorted, in the
    order of their first module in ``sources``; a module whose source does not parse is
    a group of its own. Raises nothing."""
    known = {name for name, _, _ in sources}
    static: dict[str, set[str]] = {}
    lazy: set[str] = set()
    for name, text, is_package in sources:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            static[name] = set()
            lazy.add(name)
            continue
        now: set[str] = set()
        later: set[str] = set()
        _imports(tree.body, name, is_package, known, now, later, False)
        static[name] = {parent for module in now for parent in _with_parents(module, known)}
        static[name] |= set(_with_parents(name, known)) - {name}
        lazy |= later
    imported = set().union(*static.values()) if static else set()
    roots = {package} | lazy | (known - imported)
    closures = {root: _closure(root, static) for root in roots if root in known}
    keys: dict[str, frozenset[str]] = {
        name: frozenset(root for root, closure in closures.items() if name in closure)
        for name in known}
    found: dict[frozenset[str], list[str]] = {}
    for name, _, _ in sources:
        found.setdefault(keys[name], []).append(name)
    return [sorted(members) for members in found.values()]


def _imports(body: list[ast.stmt], name: str, is_package: bool, known: set[str],
             now: set[str], later: set[str], deferred: bool) -> None:
    """Add the package's modules that the statements ``body`` of module ``name`` import
    to ``now`` (run with the module's body) or ``later`` (``deferred``: inside a
    function)."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _imports(node.body, name, is_package, known, now, later, True)
        elif isinstance(node, ast.If) and _type_checking(node.test):
            _imports(node.orelse, name, is_package, known, now, later, deferred)
        elif isinstance(node, ast.Import):
            (later if deferred else now).update(
                alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(name, is_package, node.level, node.module)
            targets = later if deferred else now
            if base in known:
                targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names
                           if f"{base}.{alias.name}" in known)
        else:  # (class bodies, if/try/with/for/while blocks run with the module)
            inner = [getattr(node, field, []) for field in ("body", "orelse", "finalbody")]
            inner += [handler.body for handler in getattr(node, "handlers", [])]
            inner += [case.body for case in getattr(node, "cases", [])]
            for statements in inner:
                if isinstance(statements, list):
                    _imports(statements, name, is_package, known, now, later, deferred)


def _type_checking(test: ast.expr) -> bool:
    """Whether ``test`` is ``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``."""
    return ((isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
            or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _resolve(name: str, is_package: bool, level: int, module: str | None) -> str:
    """The absolute name of ``from <level dots><module> import ...`` in module ``name``."""
    if level == 0:
        return module or ""
    parts = name.split(".")
    if not is_package:
        parts.pop()
    if level > 1:
        parts = parts[:len(parts) - (level - 1)]
    base = ".".join(parts)
    return f"{base}.{module}" if module else base


def _with_parents(module: str, known: set[str]) -> list[str]:
    """``module`` and the packages above it that are among ``known``."""
    parts = module.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts) + 1)
            if ".".join(parts[:k]) in known]


def _closure(root: str, static: dict[str, set[str]]) -> set[str]:
    """The modules importing ``root`` imports (itself included)."""
    seen = {root}
    todo = [root]
    while todo:
        for module in static.get(todo.pop(), ()):
            if module not in seen:
                seen.add(module)
                todo.append(module)
    return seen
