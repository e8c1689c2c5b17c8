"""Validity and matching of types (spec "Validation / Types" and "Validation / Matching").

Everything here is pure: functions either return a verdict or raise a
:class:`~wasmem.errors.ValidationError` *without* a position; callers in
:mod:`wasmem.valid.module` and :mod:`wasmem.valid.code` add the place.

Type indices and equivalence
    wasmem supports function types only (no GC struct/array types, no explicit
    recursion groups), so every defined type is its own recursion group, final and
    without supertypes. Two type indices then denote the same (closed) defined type
    exactly when their function types are structurally equal after replacing every
    type index by the type it names; a reference from a type to itself is a recursive
    reference. :class:`TypeContext` computes, for every index, a *canonical id* that is
    equal for equivalent types **across modules** (ids are interned process-wide), so
    equivalence is an integer comparison and the linker can match an import of one
    module against an export of another.

Import matching
    The linker matches imports on *closed* types, in :mod:`wasmem.runtime.types`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ValidationError
from ..syntax.types import (
    MAX_PAGES_32,
    MAX_PAGES_64,
    AbsHeapType,
    FuncType,
    GlobalType,
    HeapType,
    Limits,
    MemoryType,
    NumType,
    RefType,
    TableType,
    ValType,
    VecType,
)

__all__ = [
    "BOT",
    "BOT_HEAP",
    "MAX_TABLE_32",
    "MAX_TABLE_64",
    "Bottom",
    "StackType",
    "TypeContext",
    "check_func_type",
    "check_global_type",
    "check_heap_type",
    "check_limits",
    "check_memory_type",
    "check_ref_type",
    "check_table_type",
    "check_types",
    "check_val_type",
    "is_defaultable",
    "match_heap_type",
    "match_ref_type",
    "match_result_type",
    "match_val_type",
    "types_string",
]

MAX_TABLE_32 = (1 << 32) - 1
"""Largest size of a table with i32 addresses."""
MAX_TABLE_64 = (1 << 64) - 1
"""Largest size of a table64 table."""


class Bottom:
    """The bottom type of the validation algorithm (spec appendix "Validation Algorithm").

    :data:`BOT` stands for an unknown operand popped from a polymorphic (unreachable)
    stack and matches every value type; :data:`BOT_HEAP` is the bottom heap type, used
    for the reference type of such an operand (``(ref bot)``). Neither occurs in source.
    """

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return self._text.upper()


BOT = Bottom("bot")
BOT_HEAP = Bottom("bot")

StackType = ValType | Bottom
"""A type on the validator's operand stack: a value type or :data:`BOT`."""


# ---------------------------------------------------------------- canonical ids

_INTERNED: dict[tuple[object, ...], int] = {}
_SELF = -1  # marks a recursive reference of a type to itself in a canonical key


def _intern(key: tuple[object, ...]) -> int:
    found = _INTERNED.get(key)
    if found is None:
        found = _INTERNED.setdefault(key, len(_INTERNED))
    return found


class TypeContext:
    """The defined types of one module, with canonical ids for type equivalence.

    ``types`` is the module's type section (function types). ``canonical[i]`` is an int
    that equals ``other.canonical[j]`` of any context exactly when type ``i`` here and
    type ``j`` there are the same closed defined type (spec "Type Equivalence").
    Indices that name no type (only possible in invalid modules) get unique ids.
    """

    __slots__ = ("canonical", "types")

    def __init__(self, types: Sequence[FuncType]) -> None:
        self.types: tuple[FuncType, ...] = tuple(types)
        self.canonical: list[int] = []
        for index, func_type in enumerate(self.types):
            key = ("func", self._key_of(func_type.params, index),
                   self._key_of(func_type.results, index))
            self.canonical.append(_intern(key))

    def _key_of(self, value_types: Sequence[ValType], own: int) -> tuple[object, ...]:
        parts: list[object] = []
        for t in value_types:
            if isinstance(t, RefType) and isinstance(t.heap_type, int):
                target = t.heap_type
                if target == own:
                    parts.append((t.nullable, _SELF))
                elif 0 <= target < own:
                    parts.append((t.nullable, self.canonical[target]))
                else:  # forward or bad reference: invalid module, make it unique
                    parts.append((t.nullable, ("bad", id(self), own, target)))
            else:
                parts.append(t)
        return tuple(parts)

    def __len__(self) -> int:
        return len(self.types)

    def func_type(self, index: int) -> FuncType:
        """Return the function type at ``index``.

        Raises:
            ValidationError: "unknown type N" if there is no such type.
        """
        if not 0 <= index < len(self.types):
            raise ValidationError(f"unknown type {index}: the module defines "
                                  f"{_count(len(self.types), 'type')}")
        return self.types[index]

    def same(self, index: int, other: TypeContext, other_index: int) -> bool:
        """True if type ``index`` here and ``other_index`` in ``other`` are equivalent."""
        if not (0 <= index < len(self.canonical) and 0 <= other_index < len(other.canonical)):
            return False
        return self.canonical[index] == other.canonical[other_index]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------- validity

def check_heap_type(heap_type: object, type_count: int) -> None:
    """Check a heap type (spec "Heap Types"): an abstract heap type or a known type index.

    Raises:
        ValidationError: "unknown type N" for an index ``>= type_count``.
    """
    if isinstance(heap_type, AbsHeapType):
        return
    if isinstance(heap_type, int) and not isinstance(heap_type, bool):
        if 0 <= heap_type < type_count:
            return
        raise ValidationError(f"unknown type {heap_type}: the module defines "
                              f"{_count(type_count, 'type')}")
    raise ValidationError(f"invalid heap type {heap_type!r}")


def check_ref_type(ref_type: RefType, type_count: int) -> None:
    """Check a reference type (spec "Reference Types"); raises like :func:`check_heap_type`."""
    check_heap_type(ref_type.heap_type, type_count)


def check_val_type(value_type: object, type_count: int) -> None:
    """Check a value type (spec "Value Types").

    Raises:
        ValidationError: "unknown type N" for a reference to a missing type, or
            "invalid value type" for something that is no value type.
    """
    if isinstance(value_type, (NumType, VecType)):
        return
    if isinstance(value_type, RefType):
        check_heap_type(value_type.heap_type, type_count)
        return
    raise ValidationError(f"invalid value type {value_type!r}")


def check_func_type(func_type: FuncType, type_count: int) -> None:
    """Check a function type: every parameter and result type is valid.

    ``type_count`` is the number of types visible (for a type definition at index ``i``,
    ``i + 1``: a type may refer to itself and to earlier types).

    Raises:
        ValidationError: "unknown type N" for a reference to a later or missing type.
    """
    for t in func_type.params:
        check_val_type(t, type_count)
    for t in func_type.results:
        check_val_type(t, type_count)


def check_types(types: Sequence[FuncType]) -> None:
    """Check the type section (spec "Modules / Types"): each type may use itself and earlier types.

    Raises:
        ValidationError: "unknown type N", with ``instruction`` unset; the caller locates it.
    """
    for index, func_type in enumerate(types):
        if not isinstance(func_type, FuncType):
            raise ValidationError(f"invalid type definition {index}")
        for t in func_type.params + func_type.results:
            heap_type = t.heap_type if isinstance(t, RefType) else None
            if isinstance(heap_type, int) and not 0 <= heap_type <= index:
                raise ValidationError(f"unknown type {heap_type}: type {index} may only refer "
                                      f"to itself and earlier types")
        check_func_type(func_type, index + 1)


def check_limits(limits: Limits, bound: int, message: str) -> None:
    """Check limits against ``bound`` (spec "Limits").

    Raises:
        ValidationError: ``message`` (e.g. "memory size must be at most ...") if ``min`` or
            ``max`` exceeds ``bound``; "size minimum must not be greater than maximum"
            if ``min > max``.
    """
    if limits.min > bound:
        raise ValidationError(f"{message}, but the minimum is {limits.min}")
    if limits.max is not None:
        if limits.max > bound:
            raise ValidationError(f"{message}, but the maximum is {limits.max}")
        if limits.min > limits.max:
            raise ValidationError(
                "size minimum must not be greater than maximum: "
                f"minimum {limits.min} > maximum {limits.max}")


def check_memory_type(memory_type: MemoryType) -> None:
    """Check a memory type (spec "Memory Types"): at most 2^16 pages (i32) or 2^48 (i64).

    Raises:
        ValidationError: "memory size must be at most ..." or "size minimum must not be
            greater than maximum".
        UnsupportedFeature: shared memories ("threads") and custom page sizes.
    """
    from ..errors import UnsupportedFeature

    if memory_type.shared:
        raise UnsupportedFeature("threads", "shared memories are not supported")
    if memory_type.page_size_log2 != 16:
        raise UnsupportedFeature("custom-page-sizes", "custom page sizes are not supported")
    if memory_type.address_type is NumType.I64:
        check_limits(memory_type.limits, MAX_PAGES_64,
                     "memory size must be at most 2^48 pages (256TiB)")
    elif memory_type.address_type is NumType.I32:
        check_limits(memory_type.limits, MAX_PAGES_32,
                     "memory size must be at most 65536 pages (4GiB)")
    else:
        raise ValidationError(f"invalid memory address type {memory_type.address_type}")


def check_table_type(table_type: TableType, type_count: int) -> None:
    """Check a table type (spec "Table Types"): element type valid, size within 2^32-1 / 2^64-1.

    Raises:
        ValidationError: "unknown type N", "table size must be at most ..." or
            "size minimum must not be greater than maximum".
    """
    if not isinstance(table_type.element, RefType):
        raise ValidationError(f"invalid table element type {table_type.element}")
    check_ref_type(table_type.element, type_count)
    if table_type.address_type is NumType.I64:
        check_limits(table_type.limits, MAX_TABLE_64, "table size must be at most 2^64-1")
    elif table_type.address_type is NumType.I32:
        check_limits(table_type.limits, MAX_TABLE_32, "table size must be at most 2^32-1")
    else:
        raise ValidationError(f"invalid table address type {table_type.address_type}")


def check_global_type(global_type: GlobalType, type_count: int) -> None:
    """Check a global type (spec "Global Types"); raises like :func:`check_val_type`."""
    check_val_type(global_type.value_type, type_count)


def is_defaultable(value_type: ValType) -> bool:
    """True if the type has a default value: every type except non-nullable references."""
    return not isinstance(value_type, RefType) or value_type.nullable


# ---------------------------------------------------------------- matching

_A = AbsHeapType
_ABSTRACT_SUPERTYPES: dict[AbsHeapType, frozenset[AbsHeapType]] = {
    _A.ANY: frozenset({_A.ANY}),
    _A.EQ: frozenset({_A.EQ, _A.ANY}),
    _A.I31: frozenset({_A.I31, _A.EQ, _A.ANY}),
    _A.STRUCT: frozenset({_A.STRUCT, _A.EQ, _A.ANY}),
    _A.ARRAY: frozenset({_A.ARRAY, _A.EQ, _A.ANY}),
    _A.NONE: frozenset({_A.NONE, _A.I31, _A.STRUCT, _A.ARRAY, _A.EQ, _A.ANY}),
    _A.FUNC: frozenset({_A.FUNC}),
    _A.NOFUNC: frozenset({_A.NOFUNC, _A.FUNC}),
    _A.EXTERN: frozenset({_A.EXTERN}),
    _A.NOEXTERN: frozenset({_A.NOEXTERN, _A.EXTERN}),
    _A.EXN: frozenset({_A.EXN}),
    _A.NOEXN: frozenset({_A.NOEXN, _A.EXN}),
}
"""For each abstract heap type, the abstract heap types it is a subtype of (itself included)."""


def match_heap_type(actual: object, expected: object, context: TypeContext,
                    expected_context: TypeContext | None = None) -> bool:
    """Return True if heap type ``actual`` matches (is a subtype of) ``expected``.

    Spec "Matching / Heap Types". Type indices in ``actual`` are resolved in ``context``,
    those in ``expected`` in ``expected_context`` (default: the same). Every defined type
    is a function type here, so a type index matches ``func`` and an equivalent index,
    and ``nofunc`` matches every type index. :data:`BOT_HEAP` matches everything.
    """
    if actual is expected and not isinstance(actual, int):
        return True
    if actual is BOT_HEAP:
        return True
    target = context if expected_context is None else expected_context
    if isinstance(actual, int):
        if isinstance(expected, int):
            return context.same(actual, target, expected)
        return expected is _A.FUNC
    if isinstance(expected, int):
        return actual is _A.NOFUNC and 0 <= expected < len(target)
    supers = _ABSTRACT_SUPERTYPES.get(actual)  # type: ignore[call-overload]
    return supers is not None and expected in supers


def match_ref_type(actual: RefType, expected: RefType, context: TypeContext,
                   expected_context: TypeContext | None = None) -> bool:
    """Return True if reference type ``actual`` matches ``expected`` (spec "Reference Types").

    A nullable reference never matches a non-nullable one; heap types must match.
    """
    if actual.nullable and not expected.nullable:
        return False
    return match_heap_type(actual.heap_type, expected.heap_type, context, expected_context)


def match_val_type(actual: object, expected: object, context: TypeContext,
                   expected_context: TypeContext | None = None) -> bool:
    """Return True if ``actual`` matches ``expected`` (spec "Matching / Value Types").

    Number and vector types match only themselves; reference types by
    :func:`match_ref_type`; :data:`BOT` matches every type.
    """
    if actual is expected or actual is BOT:
        return True
    if isinstance(actual, RefType) and isinstance(expected, RefType):
        return match_ref_type(actual, expected, context, expected_context)
    return False


def match_result_type(actual: Sequence[object], expected: Sequence[object],
                      context: TypeContext, expected_context: TypeContext | None = None) -> bool:
    """Return True if the result types have the same length and match pointwise."""
    if len(actual) != len(expected):
        return False
    for a, e in zip(actual, expected):
        if not match_val_type(a, e, context, expected_context):
            return False
    return True


def types_string(types: Sequence[object]) -> str:
    """Return ``[i32 f64]``-style text for a sequence of value (or stack) types."""
    return "[" + " ".join(str(t) for t in types) + "]"


def heap_type_text(heap_type: HeapType) -> str:
    """Return the text spelling of a heap type (``func``, ``$3``-style indices as numbers)."""
    return str(heap_type)
