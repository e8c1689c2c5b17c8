"""Modules of the import bundle whose functions are unmarshalled on demand.

A module whose source holds the line :data:`MARKER` (the interpreter's generated factory
modules: hundreds of small functions, of which a process links a few dozen) is stored
by :mod:`wasmem.import_bundle` in two parts: the module's body without its functions (a
*skeleton*, run when the module is imported) and its functions' code in small groups
(:func:`_groups`), each marshalled on its own and unmarshalled when one of its functions
is first looked up as the module's attribute (``getattr(module, name)``, ``from module
import name``: the bundle's loader gives the module a ``__getattr__``, PEP 562). The
skeleton sets ``__lazy_functions__``, a tuple of ``(names, offset, length, digest)`` of
each group's code in the part stored after it (the *functions*), so the bundle's index
does not grow with them.

Only a module of plain functions and data qualifies: every top-level statement a
``def`` without decorators, defaults or annotations (their evaluation could have
effects or depend on order), an assignment, or the docstring; no two functions of one
name, no assignment to a function's name, and no function named by another or by the
body (a global lookup does not go through the module's ``__getattr__``). Another
module, or one whose source does not parse, is stored whole (:func:`split` returns
None).
"""

from __future__ import annotations

import ast
import marshal
import os
import re
from collections.abc import Callable
from typing import Any

__all__ = ["MARKER", "split", "split_recorded"]

MARKER = b"\n# wasmem-bundle: functions on demand\n"
"""The line marking a module whose functions are stored apart (:func:`split`)."""

_CODE = type((lambda: None).__code__)


def _plain(node: ast.stmt) -> bool:
    """Whether the top-level statement ``node`` allows its module to be split."""
    if isinstance(node, ast.FunctionDef):
        arguments = node.args
        annotated = [a for a in (*arguments.posonlyargs, *arguments.args,
                                 *arguments.kwonlyargs, arguments.vararg, arguments.kwarg)
                     if a is not None and a.annotation is not None]
        return not (node.decorator_list or arguments.defaults or any(arguments.kw_defaults)
                    or annotated or node.returns is not None)
    if isinstance(node, ast.Assign):
        return True
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _globals(code: Any) -> set[str]:
    """The names ``code`` and the code nested in it may look up as globals (a superset:
    attribute names too)."""
    names = set(code.co_names)
    for inner in code.co_consts:
        if type(inner) is _CODE:
            names |= _globals(inner)
    return names


def _groups(names: list[str]) -> list[tuple[str, ...]]:
    """``names`` in groups stored together: consecutive functions whose names hold the
    same first number (a generated operator's forms, ``v3_rr``, ``b3_rr``, ``s3_rr``,
    ``v3_rc``..., are made together when it is first linked); a name without a number
    is a group of its own."""
    found: list[tuple[str, ...]] = []
    last: str | None = None
    for name in names:
        number = re.search(r"\d+", name)
        key = number.group() if number else None
        if key is not None and key == last:
            found[-1] += (name,)
        else:
            found.append((name,))
        last = key
    return found


def split(source: bytes, filename: str, code: Any,
          digest: Callable[[bytes], bytes]) -> tuple[Any, bytes] | None:
    """``(skeleton code, functions)`` of the module whose source is ``source`` and whose
    compiled code is ``code`` (module docstring), ``filename`` being the name its code is
    compiled under; ``digest`` makes each function's check. None when the module is not
    marked or does not qualify. Raises nothing."""
    if MARKER not in source:
        return None
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError):
        return None
    names = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    assigned = {target.id for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)}
    found = {c.co_name: c for c in code.co_consts if type(c) is _CODE}
    if (not all(_plain(node) for node in tree.body) or len(set(names)) != len(names)
            or assigned & set(names) or set(found) != set(names)
            or sum(type(c) is _CODE for c in code.co_consts) != len(names)
            or any(_globals(found[name]) & set(names) for name in names)):
        return None
    pieces: list[bytes] = []
    table: list[tuple[tuple[str, ...], int, int, bytes]] = []
    offset = 0
    for group in _groups(names):
        data = marshal.dumps(tuple(found[name] for name in group))
        table.append((group, offset, len(data), digest(data)))
        pieces.append(data)
        offset += len(data)
    body: list[ast.stmt] = [node for node in tree.body
                            if not isinstance(node, ast.FunctionDef)]
    listed: Any = tuple(table)  # (a constant tuple of constants)
    body.append(ast.Assign(targets=[ast.Name("__lazy_functions__", ast.Store())],
                           value=ast.Constant(listed)))
    skeleton = ast.Module(body=body, type_ignores=[])
    ast.fix_missing_locations(skeleton)
    try:
        compiled = compile(skeleton, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, TypeError):
        return None
    if _globals(compiled) & set(names):
        return None
    return compiled, b"".join(pieces)


def split_recorded(added: dict[str, Any], root: str, digest: Callable[[bytes], bytes],
                   suffix: str) -> None:
    """Split the modules of ``added`` (name -> ``(path below root, is a package, source
    mtime_ns, source size, marshalled code)``, what a process recorded for the bundle)
    that are marked to be: each entry's code becomes its skeleton's, and the functions'
    are added under the name followed by ``suffix``. A module whose source cannot be
    read, changed since, or does not split is left whole. Raises nothing."""
    for name, (relative, package, mtime, length, code) in list(added.items()):
        try:
            with open(root + relative, "rb") as file:
                source = file.read()
            if MARKER not in source:
                continue
            parts = split(source, root + relative, marshal.loads(code), digest)
            found = os.stat(root + relative)
        except (OSError, ValueError, EOFError, TypeError):
            continue
        if parts is not None and (found.st_mtime_ns, found.st_size) == (mtime, length):
            added[name] = (relative, package, mtime, length, marshal.dumps(parts[0]))
            added[name + suffix] = (relative, False, mtime, length, parts[1])
