"""What the code generator needs to know about a module, computed once per module."""

from __future__ import annotations

import math
import struct
from typing import TYPE_CHECKING

from ...binary.encoded import EncodedFunction
from ...syntax.module import Function, Module
from ...syntax.types import ExternKind, FuncType, GlobalType, MemoryType, NumType, TableType
from .sizes import exceeds

if TYPE_CHECKING:  # imported where used: only translation needs it
    from .frames import TargetScan

__all__ = ["ModuleContext", "GlobalAccess"]


class GlobalAccess:
    """How compiled code reaches a global.

    ``VAR``: a namespace variable ``G<i>`` (not shared with anyone, or immutable).
    ``SHARED``: the GlobalInstance ``GI<i>``, read and written through ``.value``.
    """

    VAR = "var"
    SHARED = "shared"


def _float_key(value: float) -> bytes:
    """The bits of a Python float (NaN payloads and signs included)."""
    return struct.pack("<d", value)


class ModuleContext:
    """Module-wide facts for translation: index spaces, global access, constants.

    ``constants`` collects float values that have no exact Python literal (NaNs with
    payloads, infinities); each becomes a namespace name ``C<k>``. ``inline_facts``:
    per defined function (function index space), what inlining it needs to know, found
    once: its :class:`TargetScan`, whether it has constructs that rule inlining out, and
    whether something branches to its end, which of its declared locals some path reads
    before writing, and which locals it assigns (see ``emit_calls.try_inline``).
    (A plain class, not a dataclass: instantiation imports it, and ``dataclasses``
    costs milliseconds to import.)
    """

    def __init__(self, module: Module) -> None:
        self.module = module
        self.function_types: list[FuncType] = []
        self.imported_functions = 0
        self.globals: list[GlobalType] = []
        self.global_access: list[str] = []
        self.memories: list[MemoryType] = []
        self.tables: list[TableType] = []
        self.tag_types: list[FuncType] = []
        self.constants: list[float] = []
        self._constant_names: dict[bytes, str] = {}
        self._constants_named = 0  # constants[:this] are in _constant_names
        self._sizes: dict[int, int] = {}
        self._size_bounds: dict[int, int] = {}  # function -> L: its count certainly > L
        self.inline_facts: dict[int, tuple[TargetScan, bool, bool, frozenset[int],
                                         frozenset[int]]] = {}
        # (callee, its arguments' alignments) -> its locals' (.alignment.inlined_alignments)
        self.inline_alignments: dict[tuple[int, tuple[int, ...]], dict[int, int]] = {}
        # defined function -> whether its body accesses memory, the functions it calls
        # (emit_calls.body_facts)
        self.call_facts: dict[int, tuple[bool, frozenset[int]]] = {}
        # defined function -> (its Function, the known copy it is, if any)
        # (.known_copies.known_copy_of)
        self.copies: dict[int, tuple[Function, str | None]] = {}

    @classmethod
    def of(cls, module: Module) -> ModuleContext:
        """Build the context of a (validated) module."""
        ctx = cls(module)
        exported_globals = {e.index for e in module.exports if e.kind is ExternKind.GLOBAL}
        for imp in module.imports:
            if imp.kind is ExternKind.FUNC:
                ctx.function_types.append(module.types[imp.desc])  # type: ignore[index]
            elif imp.kind is ExternKind.GLOBAL:
                ctx.globals.append(imp.desc)  # type: ignore[arg-type]
                ctx.global_access.append(
                    GlobalAccess.SHARED if imp.desc.mutable else GlobalAccess.VAR)  # type: ignore[union-attr]
            elif imp.kind is ExternKind.MEMORY:
                ctx.memories.append(imp.desc)  # type: ignore[arg-type]
            elif imp.kind is ExternKind.TABLE:
                ctx.tables.append(imp.desc)  # type: ignore[arg-type]
            elif imp.kind is ExternKind.TAG:
                ctx.tag_types.append(module.types[imp.desc])  # type: ignore[index]
        ctx.imported_functions = len(ctx.function_types)
        for function in module.functions:
            ctx.function_types.append(module.types[function.type_index])
        for g in module.globals:
            index = len(ctx.globals)
            ctx.globals.append(g.type)
            shared = g.type.mutable and index in exported_globals
            ctx.global_access.append(GlobalAccess.SHARED if shared else GlobalAccess.VAR)
        for m in module.memories:
            ctx.memories.append(m.type)
        for t in module.tables:
            ctx.tables.append(t.type)
        for tag in module.tags:
            ctx.tag_types.append(module.types[tag.type_index])
        return ctx

    def function_size(self, index: int, limit: int) -> int:
        """The instruction count of defined function ``index`` (function index space),
        or ``limit + 1`` if it certainly exceeds ``limit``.

        Counts are remembered, and so are bounds: a body still in its binary encoding
        is not decoded when its byte length already rules it out (an instruction takes
        at least one byte, and hardly ever more than eight) or when its instructions,
        counted from the bytes, pass ``limit`` (:func:`.sizes.exceeds`); a later
        question with a larger ``limit`` asks again (a bound is never taken for a
        count).
        """
        size = self._sizes.get(index)
        if size is not None:
            return size
        if limit <= self._size_bounds.get(index, -1):
            return limit + 1
        function = self.module.functions[index - self.imported_functions]
        if isinstance(function, EncodedFunction) and not function.is_decoded:
            data, start, end = function.encoded
            # (counted from the bytes up to limit + 1: most callees asked about are
            # larger, and decoding them whole for that costs more, see .sizes)
            if end - start > 8 * limit or exceeds(data, start, end, limit):
                self._size_bounds[index] = limit
                return limit + 1
        from .frames import count_up_to
        # (a decoded body is counted up to limit + 1 too: a wrapper's big callee, which
        # the interpreter decoded, is not walked whole to learn it is not small)
        size = count_up_to(function.body, limit)
        if size > limit:
            self._size_bounds[index] = limit
            return limit + 1
        self._sizes[index] = size
        return size

    def note_size(self, index: int, count: int) -> None:
        """Remember the instruction count of defined function ``index``, found by a scan of
        its (decoded) body."""
        self._sizes.setdefault(index, count)

    def memory64(self, index: int) -> bool:
        """True if memory ``index`` uses i64 addresses."""
        return self.memories[index].address_type is NumType.I64

    def table64(self, index: int) -> bool:
        """True if table ``index`` uses i64 indices."""
        return self.tables[index].address_type is NumType.I64

    def float_literal(self, value: float, bits: int) -> str:
        """Return Python text that evaluates to exactly ``value`` (bits included)."""
        if math.isfinite(value):
            text = repr(value)
            return f"({text})" if text.startswith("-") else text
        # constants the disk cache appended (``CodeCache.load``) keep their names, so a
        # translation made after a load names the same value as the loaded code does
        # (the fault finder evaluates a re-translated source in that code's namespace);
        # keyed by the Python float's own bits: equal bits are the same value at run time
        for k in range(self._constants_named, len(self.constants)):
            self._constant_names.setdefault(_float_key(self.constants[k]), f"C{k}")
        key = _float_key(value)
        name = self._constant_names.get(key)
        if name is None:
            name = f"C{len(self.constants)}"
            self._constant_names[key] = name
            self.constants.append(value)
        self._constants_named = len(self.constants)
        return name
