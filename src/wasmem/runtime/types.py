"""Closed types: module-independent forms of types, for linking and dynamic checks.

Inside a module, a typed reference names a type by index (``(ref $t)``). Across modules
(import matching, ``call_indirect`` on a function from another instance, the tables and
globals shared between instances) types must be compared without that context. A *closed*
type replaces each type index by the closed function type it denotes, recursively, so
two closed types are equivalent exactly when they are ``==`` (spec "Validation /
Matching" and "Type Equivalence": without recursion groups, equivalence is structural).

Closed function types are ordinary :class:`FuncType` objects whose reference types have
a :class:`FuncType` as heap type instead of an index; they are hashable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..syntax.types import (
    AbsHeapType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    RefType,
    TableType,
    ValType,
)

__all__ = [
    "TypeCloser",
    "heap_subtype",
    "value_subtype",
    "func_subtype",
    "limits_match",
    "table_type_match",
    "memory_type_match",
    "global_type_match",
]

_FUNC_FAMILY = {AbsHeapType.FUNC, AbsHeapType.NOFUNC}
_EXTERN_FAMILY = {AbsHeapType.EXTERN, AbsHeapType.NOEXTERN}
_EXN_FAMILY = {AbsHeapType.EXN, AbsHeapType.NOEXN}


_INTERNED: dict[FuncType, FuncType] = {}
"""One object per distinct closed function type, so equal types are usually identical
(``is``), which makes the dynamic check of ``call_indirect`` one pointer comparison."""


class TypeCloser:
    """Closes the types of one module; results are memoised per type index.

    Args:
        types: the module's type section.
    """

    def __init__(self, types: Sequence[FuncType]) -> None:
        self._types = types
        self._closed: dict[int, FuncType] = {}

    def function(self, index: int) -> FuncType:
        """Return the closed form of the function type at ``index``.

        Raises:
            IndexError: for an index outside the type section (validation prevents this).
        """
        done = self._closed.get(index)
        if done is not None:
            return done
        # Iterative closing: types may only refer to earlier ones, but go explicit anyway.
        pending = [index]
        while pending:
            current = pending[-1]
            if current in self._closed:
                pending.pop()
                continue
            missing = [i for i in _referenced_indices(self._types[current])
                       if i not in self._closed and i != current]
            if missing:
                if any(m in pending for m in missing):
                    raise IndexError(f"recursive type {current}")
                pending.extend(missing)
                continue
            ft = self._types[current]
            closed = FuncType(tuple(self._member(t, current) for t in ft.params),
                              tuple(self._member(t, current) for t in ft.results))
            self._closed[current] = _INTERNED.setdefault(closed, closed)
            pending.pop()
        return self._closed[index]

    def _member(self, t: ValType, current: int) -> ValType:
        """Close a value type inside type ``current``; a reference to ``current`` itself
        becomes :data:`SELF` (the spec's ``rec.0`` of a singleton recursion group)."""
        if isinstance(t, RefType) and t.heap_type == current:
            return RefType(t.nullable, SELF)  # type: ignore[arg-type]
        return self.value(t)

    def value(self, t: ValType) -> ValType:
        """Return the closed form of a value type."""
        if isinstance(t, RefType) and isinstance(t.heap_type, int):
            return RefType(t.nullable, self.function(t.heap_type))  # type: ignore[arg-type]
        return t

    def heap(self, h: Any) -> Any:
        """Return the closed form of a heap type."""
        if isinstance(h, int):
            return self.function(h)
        return h

    def extern(self, desc: Any) -> Any:
        """Close the type inside an import/export descriptor (table, global types)."""
        if isinstance(desc, TableType):
            return TableType(desc.limits, self.value(desc.element), desc.address_type)  # type: ignore[arg-type]
        if isinstance(desc, GlobalType):
            return GlobalType(self.value(desc.value_type), desc.mutable)
        return desc


class _RecSelf:
    """The closed form of a type's reference to itself (iso-recursive: two self-recursive
    types with the same structure are the same type)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "rec.0"


SELF = _RecSelf()
"""Stands for "this type" inside a closed self-recursive function type."""


def _referenced_indices(ft: FuncType) -> list[int]:
    out = []
    for t in (*ft.params, *ft.results):
        if isinstance(t, RefType) and isinstance(t.heap_type, int):
            out.append(t.heap_type)
    return out


def heap_subtype(a: Any, b: Any) -> bool:
    """True if closed heap type ``a`` matches ``b`` (function-references subtyping)."""
    if a == b:
        return True
    if isinstance(a, FuncType):
        return b is AbsHeapType.FUNC
    if a is AbsHeapType.NOFUNC:
        return b is AbsHeapType.FUNC or isinstance(b, FuncType)
    if a is AbsHeapType.NOEXTERN:
        return b is AbsHeapType.EXTERN
    if a is AbsHeapType.NOEXN:
        return b is AbsHeapType.EXN
    if a is AbsHeapType.NONE:
        return b in (AbsHeapType.ANY, AbsHeapType.EQ, AbsHeapType.I31, AbsHeapType.STRUCT,
                     AbsHeapType.ARRAY)
    if a in (AbsHeapType.I31, AbsHeapType.STRUCT, AbsHeapType.ARRAY):
        return b in (AbsHeapType.EQ, AbsHeapType.ANY)
    if a is AbsHeapType.EQ:
        return b is AbsHeapType.ANY
    return False


def value_subtype(a: ValType, b: ValType) -> bool:
    """True if closed value type ``a`` matches ``b``."""
    if a == b:
        return True
    if isinstance(a, RefType) and isinstance(b, RefType):
        if a.nullable and not b.nullable:
            return False
        return heap_subtype(a.heap_type, b.heap_type)
    return False


def func_subtype(a: FuncType, b: FuncType) -> bool:
    """True if closed function type ``a`` matches ``b``.

    Without declared supertypes (no GC), a defined function type only matches an
    equivalent one, which for closed types is equality.
    """
    return a == b


def limits_match(actual: Limits, expected: Limits) -> bool:
    """Spec "Import Matching / Limits": actual min >= expected min, and max compatible."""
    if actual.min < expected.min:
        return False
    if expected.max is None:
        return True
    return actual.max is not None and actual.max <= expected.max


def table_type_match(actual: TableType, expected: TableType) -> bool:
    """Closed table types: address types equal, limits match, element types equivalent."""
    return (actual.address_type is expected.address_type
            and limits_match(actual.limits, expected.limits)
            and value_subtype(actual.element, expected.element)
            and value_subtype(expected.element, actual.element))


def memory_type_match(actual: MemoryType, expected: MemoryType) -> bool:
    """Memory types: address types equal, limits match."""
    return (actual.address_type is expected.address_type
            and actual.page_size_log2 == expected.page_size_log2
            and limits_match(actual.limits, expected.limits))


def global_type_match(actual: GlobalType, expected: GlobalType) -> bool:
    """Closed global types: same mutability; immutable covariant, mutable invariant."""
    if actual.mutable != expected.mutable:
        return False
    if actual.mutable:
        return value_subtype(actual.value_type, expected.value_type) and value_subtype(
            expected.value_type, actual.value_type)
    return value_subtype(actual.value_type, expected.value_type)
