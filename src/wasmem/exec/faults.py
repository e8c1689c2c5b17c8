"""Telling a guest's out-of-bounds access from a bug in wasmem.

Compiled code (``exec/compiler``) accesses linear memory without an explicit bounds
check: ``M0[a]``, ``V32_0[a >> 2]``, ``U32(M0, a)`` raise ``IndexError``, ``struct.error``
or ``OverflowError`` when the access leaves the visible memory, and that costs nothing
on the fast path. When such an exception reaches the host boundary, :func:`guest_fault`
finds out which access raised it: it takes the innermost frame of translated code, parses
that function's generated source, finds the memory accesses on the faulting line and
evaluates their addresses again (with the frame's locals, on a copy, so nothing changes)
in evaluation order. The first access found out of bounds becomes the spec's trap, with
its real address, access size and the memory size. (An access whose address calls a
function is not evaluated again: its trap takes offset and size from ``struct``'s message,
or reports address -1.) An exception that no guest access
explains (raised elsewhere, or by an access that is in bounds) is a bug in wasmem and is
re-raised as it is, never disguised as a trap.
"""

from __future__ import annotations

import ast
import linecache
import re
from collections.abc import Iterator
from functools import lru_cache
from types import CodeType, FrameType, TracebackType
from typing import Any

from ..memory.access import ACCESS_KINDS, call_sizes, view_sizes
from ..memory.linear import OutOfBounds

__all__ = ["guest_fault", "INTERNAL_NOTE"]

INTERNAL_NOTE = "internal error in wasmem (not a trap of the WebAssembly code): please report it"

_MEMORY = re.compile(r"M(\d+)\Z")
_VIEW_SIZES = view_sizes()
_VIEW = re.compile("(" + "|".join(_VIEW_SIZES) + r")_(\d+)\Z")
_SHIFTED = re.compile("(" + "|".join(_VIEW_SIZES) + r")U_(\d+)\Z")
"""Lists of shifted views: ``V32U_0[a & 3][a >> 2]`` (see ``exec/compiler/emit_memory``)."""
_SELECTED = re.compile("(" + "|".join(_VIEW_SIZES) + r")U_(\d+)_(\w+)_\d+\Z")
"""A shifted view selected once for a local (``exec/compiler/view_records``):
``V32U_0_l1_4`` holds ``V32U_0[l1 & 3]``."""
_CALL_SIZES = call_sizes()
_HELPERS = frozenset({"f32_unpack", "f32_pack_into"})
"""Python functions that compiled code calls to access memory (they raise for it)."""
_PURE_CALLS = frozenset({*(kind.unpack_name for kind in ACCESS_KINDS.values() if kind.size > 1),
                         "n_f32_round", "len", "float", "int", "abs", "min", "max", "bool"})
_PURE_METHODS = frozenset({"bit_length", "bit_count", "from_bytes", "to_bytes"})
_NUMERIC_CALL = re.compile(r"n_(i32|i64|f32|f64|v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)_\w+\Z")
"""The numeric library's operations (pure functions of their operands)."""
_SCRATCH = frozenset({"_a", "_s"})


class _Site:
    """One memory access in generated source: which memory, its size, its address."""

    __slots__ = ("address", "memory", "shift", "size")

    def __init__(self, memory: int, size: int, address: ast.expr, shift: int = 0) -> None:
        self.memory = memory
        self.size = size
        self.address = address
        self.shift = shift


def _walrus_address(test: ast.expr) -> tuple[ast.expr, int] | None:
    """Match ``(_a := EXPR) & m`` (also under ``not``); return ``(EXPR, m)``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    if (isinstance(test, ast.BinOp) and isinstance(test.op, ast.BitAnd)
            and isinstance(test.left, ast.NamedExpr) and test.left.target.id in _SCRATCH
            and isinstance(test.right, ast.Constant) and isinstance(test.right.value, int)):
        return test.left.value, test.right.value
    return None


def _memory_of(node: ast.AST) -> int | None:
    """The memory index an access expression or statement uses, if any."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            match = _MEMORY.match(sub.id) or _VIEW.match(sub.id)
            if match:
                return int(match.groups()[-1])
    return None


def _uses_scratch(node: ast.AST) -> bool:
    """True if ``node`` reads ``_a``/``_s`` set outside it (a load's own
    ``(... if not (_a := x) & m else ...)`` sets and reads it inside: that is fine)."""
    if isinstance(node, ast.IfExp) and _walrus_address(node.test) is not None:
        return _uses_scratch(node.test)
    if isinstance(node, ast.NamedExpr):
        return _uses_scratch(node.value)
    if isinstance(node, ast.Name):
        return node.id in _SCRATCH
    return any(_uses_scratch(child) for child in ast.iter_child_nodes(node))


def _sites(node: ast.AST) -> Iterator[tuple[ast.AST, _Site]]:
    """Yield ``(node, site)`` for the memory accesses under ``node``, innermost first, in
    evaluation order."""
    if isinstance(node, (ast.IfExp, ast.If)):
        matched = _walrus_address(node.test)
        if matched is not None:
            expr, mask = matched
            yield from _sites(expr)
            body = node.body if isinstance(node, ast.IfExp) else node.body[0]
            if isinstance(node, ast.If):  # a store: its value is evaluated next
                yield from _sites(body)  # (the store itself uses `_s`: skipped there)
            memory = _memory_of(body)
            if memory is not None:
                yield node, _Site(memory, mask + 1, expr)
            return
    if isinstance(node, ast.Assign):  # (Python evaluates the value before the targets)
        yield from _sites(node.value)
        for target in node.targets:
            yield from _sites(target)
        return
    for child in ast.iter_child_nodes(node):
        yield from _sites(child)
    shifted = _shifted_site(node)
    if shifted is not None:
        yield node, shifted
    elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
            and not _uses_scratch(node.slice):
        match = _MEMORY.match(node.value.id)
        if match:
            yield node, _Site(int(match.group(1)), 1, node.slice)
            return
        view = _VIEW.match(node.value.id)
        if view:
            size = _VIEW_SIZES[view.group(1)]
            yield node, _Site(int(view.group(2)), size, node.slice, size.bit_length() - 1)
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
          and node.func.id in _CALL_SIZES and len(node.args) >= 2
          and isinstance(node.args[0], ast.Name) and not _uses_scratch(node.args[1])):
        match = _MEMORY.match(node.args[0].id)
        if match:
            yield node, _Site(int(match.group(1)), _CALL_SIZES[node.func.id], node.args[1])


def _shifted_site(node: ast.AST) -> _Site | None:
    """The access ``VIEWS[select][index]`` of a list of shifted views: at address
    ``select + (index << log2(size))`` (``select`` first: it may set the walrus name that
    ``index`` reads)."""
    if not isinstance(node, ast.Subscript):
        return None
    if isinstance(node.value, ast.Name):  # a view selected once: VIEWS_<local>_<n>
        selected = _SELECTED.match(node.value.id)
        if selected is None:
            return None
        size = _VIEW_SIZES[selected.group(1)]
        select: ast.expr = ast.BinOp(ast.Name(selected.group(3), ast.Load()), ast.BitAnd(),
                                     ast.Constant(size - 1))
        return _shifted_address(node, int(selected.group(2)), size, select)
    if not (isinstance(node.value, ast.Subscript) and isinstance(node.value.value, ast.Name)):
        return None
    match = _SHIFTED.match(node.value.value.id)
    if match is None:
        return None
    return _shifted_address(node, int(match.group(2)), _VIEW_SIZES[match.group(1)],
                            node.value.slice)


def _shifted_address(node: ast.Subscript, memory: int, size: int, select: ast.expr) -> _Site:
    """The site of ``node``, the item ``node.slice`` of the shifted view ``select``."""
    shift = ast.copy_location(ast.Constant(size.bit_length() - 1), node)
    index = ast.copy_location(ast.BinOp(node.slice, ast.LShift(), shift), node)
    address = ast.copy_location(ast.BinOp(ast.copy_location(select, node), ast.Add(), index),
                                node)
    return _Site(memory, size, ast.fix_missing_locations(address))


@lru_cache(maxsize=64)
def _parsed(source: str) -> ast.Module:
    return ast.parse(source)


def _pure(expr: ast.expr) -> bool:
    """True if evaluating ``expr`` again has no effect beyond its value."""
    for sub in ast.walk(expr):
        if isinstance(sub, ast.Call):
            if isinstance(sub.func, ast.Attribute):
                if sub.func.attr not in _PURE_METHODS:
                    return False
                continue
            name = sub.func.id if isinstance(sub.func, ast.Name) else ""
            if not (name in _PURE_CALLS or _NUMERIC_CALL.match(name)):
                return False
        elif isinstance(sub, (ast.Await, ast.Yield, ast.YieldFrom, ast.Lambda)):
            return False
    return True


def _source(frame: FrameType) -> str | None:
    """The generated source of the translated function running in ``frame``: asked of
    the module that translated it (its code may have come from the disk cache), else
    from :mod:`linecache`, where file names of translations need not be unique (two
    modules may both have a function ``F1``, and a cached code object keeps the name it
    was compiled with)."""
    code = frame.f_code
    match = re.match(r"F(\d+)\Z", code.co_name)
    if match is not None:
        function = frame.f_globals.get(f"FI{match.group(1)}")
        tier = getattr(getattr(function, "instance", None), "tier", None)
        compiled = getattr(tier, "compiled", None)
        index = int(match.group(1))
        for fuel in (False, True):
            if compiled is not None and compiled.codes.get((index, fuel)) is code:
                source = compiled.source(index, fuel)
                return source if isinstance(source, str) else None
    lines = linecache.getlines(code.co_filename)
    return "".join(lines) if lines else None


def _is_translated(code: CodeType) -> bool:
    return code.co_filename.startswith("<wasm ")


def _faulting_frame(traceback: TracebackType | None) -> tuple[FrameType, int] | None:
    """The innermost translated frame and its line, if the exception was raised there
    (directly, or inside one of the memory helpers it calls)."""
    found: tuple[FrameType, int] | None = None
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if _is_translated(code):
            found = (traceback.tb_frame, traceback.tb_lineno)
        elif found is not None and code.co_name not in _HELPERS:
            found = None  # raised further in, by something else
        traceback = traceback.tb_next
    return found


def _contains(node: ast.AST, line: int) -> bool:
    start = getattr(node, "lineno", 0)
    return bool(start <= line <= (getattr(node, "end_lineno", None) or start))


def _statement_at(tree: ast.Module, line: int) -> ast.AST | None:
    """The code that runs on ``line``: a store's ``if (_s := a) & m: ... else: ...`` as a
    whole, else the innermost simple statement, else the test of an ``if``/``while``."""
    patterns: list[ast.AST] = []
    simple: list[ast.AST] = []
    tests: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _walrus_address(node.test) is not None:
            if _contains(node, line):
                patterns.append(node)
        elif isinstance(node, (ast.If, ast.While)):
            if _contains(node.test, line):
                tests.append(node.test)
        elif isinstance(node, ast.stmt) and not isinstance(node, (ast.FunctionDef, ast.Try,
                                                                    ast.For, ast.With)):
            if _contains(node, line):
                simple.append(node)
    for group in (patterns, simple, tests):
        if group:
            return max(group, key=lambda n: getattr(n, "lineno", 0))
    return None


def guest_fault(error: BaseException) -> OutOfBounds | None:
    """Return the trap of the guest access that raised ``error``, or None if no guest
    access explains it (then it is wasmem's own error). Never raises."""
    try:
        return _guest_fault(error)
    except Exception:
        return None


def _guest_fault(error: BaseException) -> OutOfBounds | None:
    found = _faulting_frame(error.__traceback__)
    if found is None:
        return None
    frame, line = found
    source = _source(frame)
    if source is None:
        return None
    statement = _statement_at(_parsed(source), line)
    if statement is None:
        return None
    namespace: dict[str, Any] = frame.f_globals
    unknown: list[_Site] = []  # accesses whose address cannot be evaluated again
    for _node, site in _sites(statement):
        memory = namespace.get(f"MEM{site.memory}")
        size = getattr(memory, "size_bytes", None)
        if size is None:
            continue
        if not _pure(site.address):
            unknown.append(site)
            continue
        try:
            value = eval(compile(ast.Expression(site.address), "<fault>", "eval"),
                         namespace, dict(frame.f_locals))
        except Exception:
            continue
        if not isinstance(value, int):
            continue
        address = value << site.shift
        if address < 0 or address + site.size > size:
            return OutOfBounds(address, site.size, size)
    if unknown:
        return _from_message(error, unknown, namespace)
    return None


_STRUCT_MESSAGE = re.compile(r"(\d+) bytes at offset (\d+) \(actual buffer size is (\d+)\)")


def _from_message(error: BaseException, sites: list[_Site],
                  namespace: dict[str, Any]) -> OutOfBounds:
    """The trap of an access on the faulting line whose address cannot be evaluated again
    (it calls a function): ``struct`` names the offset and size in its message; for an
    index error the address is unknown (-1), the access size and memory size are not."""
    match = _STRUCT_MESSAGE.search(str(error))
    if match is not None:
        length, address, size = (int(group) for group in match.groups())
        return OutOfBounds(address, length, size)
    site = sites[0]
    memory = namespace.get(f"MEM{site.memory}")
    return OutOfBounds(-1, site.size, getattr(memory, "size_bytes", 0))
