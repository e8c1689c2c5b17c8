"""What the interpreter's function decoder (:mod:`.decode`) keeps while it decodes.

The module-wide facts it reads (:class:`ModuleInfo`), the control frames of the blocks
it is inside (:class:`Frame`) and the symbolic operand stack (:class:`SymbolicStack`).
"""

from __future__ import annotations

import operator
from typing import Any, SupportsIndex

from ...syntax.module import Module
from ...syntax.types import F32, F64, ExternKind, FuncType, RefType, ValType
from .ops import Const, Label
from .program import Region

__all__ = ["Entry", "Frame", "ModuleInfo", "SymbolicStack", "default_value"]

Entry = Any  # int (register index) | Const


class ModuleInfo:
    """Module-wide facts the decoder needs (index spaces of functions and tags)."""

    __slots__ = ("function_types", "imported_functions", "module", "tag_types")

    def __init__(self, module: Module, function_types: list[FuncType],
                 tag_types: list[FuncType], imported_functions: int) -> None:
        self.module = module
        self.function_types = function_types
        self.tag_types = tag_types
        self.imported_functions = imported_functions

    @classmethod
    def of(cls, module: Module) -> ModuleInfo:
        """Collect the function and tag types of a (validated) module."""
        functions: list[FuncType] = []
        tags: list[FuncType] = []
        for imp in module.imports:
            if imp.kind is ExternKind.FUNC:
                functions.append(module.types[imp.desc])  # type: ignore[index]
            elif imp.kind is ExternKind.TAG:
                tags.append(module.types[imp.desc])  # type: ignore[index]
        imported = len(functions)
        functions += [module.types[f.type_index] for f in module.functions]
        tags += [module.types[t.type_index] for t in module.tags]
        return cls(module, functions, tags, imported)


class Frame:
    """A block, loop, if or the function body being decoded (spec "Control Instructions"):
    its label, the stack height at entry, its arity and what the decoder records for it."""


    __slots__ = ("arity", "cut", "else_label", "exits", "h0", "kind", "label", "params",
                 "region", "results")

    def __init__(self, kind: str, label: Label, h0: int, params: int, results: int) -> None:
        self.kind = kind
        self.label = label
        self.h0 = h0
        self.params = params
        self.results = results
        self.arity = params if kind == "loop" else results  # values a branch to it carries
        self.else_label: Label | None = None
        self.region: Region | None = None
        self.exits: list[Any] | None = None  # a loop's entry of FunctionDecoder.loop_exits
        self.cut: list[int] | None = None  # its entry of FunctionDecoder.cuts


def default_value(t: ValType) -> Any:
    """The default value of a local of type ``t`` (spec "Default Values"). Raises nothing."""
    if t is F32 or t is F64:
        return 0.0
    if isinstance(t, RefType):
        return None
    return 0


class SymbolicStack(list[Entry]):
    """The symbolic operand stack; ``low`` bounds the positions known to be materialised.

    Every position below ``low`` holds its own register. Shrinking the stack lowers
    ``low``; :meth:`FunctionDecoder.materialize_all` raises it to the height again, so
    entering many blocks over a tall stack costs time linear in the code, not quadratic.
    """

    __slots__ = ("base", "low")

    def __init__(self, base: int) -> None:
        super().__init__()
        self.base = base
        self.low = 0

    def pop(self, index: SupportsIndex = -1) -> Entry:
        value = _list_pop(self, index)
        if len(self) < self.low:
            self.low = len(self)
        return value

    def __delitem__(self, key: SupportsIndex | slice) -> None:
        _list_delitem(self, key)
        if len(self) < self.low:
            self.low = len(self)

    def __setitem__(self, key: Any, value: Any) -> None:
        if isinstance(key, slice):
            start = key.indices(len(self))[0]
            if start < self.low:
                self.low = start
        else:
            position = operator.index(key)
            if position < 0:
                position += len(self)
            if position < self.low and (isinstance(value, Const)
                                        or value != self.base + position):
                self.low = position
        _list_setitem(self, key, value)


_list_pop, _list_delitem, _list_setitem = list.pop, list.__delitem__, list.__setitem__
