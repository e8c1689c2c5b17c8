"""Types (spec "Structure / Types"): value, reference, function, limits, memory, table, global.

Value types are interned objects, so ``is`` and ``==`` agree for the number and vector
types; reference types are immutable records that compare by value (:mod:`.record`).

Binary codes (spec "Binary Format / Types") live here too, since a type *is* its code
in the binary format.
"""

from __future__ import annotations

import enum

from .enums import EnumBase, IntEnumBase, enum_class
from .record import Record

__all__ = [
    "NumType",
    "VecType",
    "AbsHeapType",
    "HeapType",
    "RefType",
    "ValType",
    "I32",
    "I64",
    "F32",
    "F64",
    "V128",
    "FUNCREF",
    "EXTERNREF",
    "EXNREF",
    "FuncType",
    "Limits",
    "MemoryType",
    "TableType",
    "GlobalType",
    "ExternKind",
    "PAGE_SIZE",
    "MAX_PAGES_32",
    "MAX_PAGES_64",
    "val_type_name",
    "is_num",
    "is_ref",
    "default_bits",
]

PAGE_SIZE = 65536
"""Bytes in one page of linear memory."""
MAX_PAGES_32 = 65536
"""Page limit of a 32-bit memory (4 GiB)."""
MAX_PAGES_64 = 1 << 48
"""Page limit of a 64-bit memory (2**64 bytes)."""


@enum_class(enum.Enum)  # (.enums: a third of the cost of defining it)
class NumType(EnumBase):
    """Number types with their binary codes."""

    I32 = 0x7F
    I64 = 0x7E
    F32 = 0x7D
    F64 = 0x7C

    def __str__(self) -> str:
        return self.name.lower()

    def __repr__(self) -> str:
        return self.name


@enum_class(enum.Enum)
class VecType(EnumBase):
    """Vector types (SIMD)."""

    V128 = 0x7B

    def __str__(self) -> str:
        return "v128"

    def __repr__(self) -> str:
        return "V128"


@enum_class(enum.Enum)
class AbsHeapType(EnumBase):
    """Abstract heap types with their binary codes (negative s33 in the binary format)."""

    FUNC = 0x70
    EXTERN = 0x6F
    ANY = 0x6E
    EQ = 0x6D
    I31 = 0x6C
    STRUCT = 0x6B
    ARRAY = 0x6A
    EXN = 0x69
    NOEXN = 0x74
    NOFUNC = 0x73
    NOEXTERN = 0x72
    NONE = 0x71

    def __str__(self) -> str:
        return self.name.lower()

    def __repr__(self) -> str:
        return self.name


HeapType = AbsHeapType | int
"""An abstract heap type, or a type index (defined type) into the module's types."""


class RefType(Record):
    """A reference type ``(ref null? heap_type)``."""

    __slots__ = ("nullable", "heap_type")
    _compared = _shown = ("nullable", "heap_type")
    nullable: bool
    heap_type: HeapType

    def __init__(self, nullable: bool, heap_type: HeapType) -> None:
        object.__setattr__(self, "nullable", nullable)
        object.__setattr__(self, "heap_type", heap_type)

    def __str__(self) -> str:
        ht = self.heap_type
        if self.nullable and isinstance(ht, AbsHeapType):
            short = _SHORTHAND.get(ht)
            if short:
                return short
        return f"(ref {'null ' if self.nullable else ''}{ht})"


_SHORTHAND = {
    AbsHeapType.FUNC: "funcref",
    AbsHeapType.EXTERN: "externref",
    AbsHeapType.ANY: "anyref",
    AbsHeapType.EQ: "eqref",
    AbsHeapType.I31: "i31ref",
    AbsHeapType.STRUCT: "structref",
    AbsHeapType.ARRAY: "arrayref",
    AbsHeapType.EXN: "exnref",
    AbsHeapType.NOEXN: "nullexnref",
    AbsHeapType.NOFUNC: "nullfuncref",
    AbsHeapType.NOEXTERN: "nullexternref",
    AbsHeapType.NONE: "nullref",
}

ValType = NumType | VecType | RefType
"""A value type: number, vector or reference."""

I32 = NumType.I32
I64 = NumType.I64
F32 = NumType.F32
F64 = NumType.F64
V128 = VecType.V128
FUNCREF = RefType(True, AbsHeapType.FUNC)
EXTERNREF = RefType(True, AbsHeapType.EXTERN)
EXNREF = RefType(True, AbsHeapType.EXN)


def val_type_name(t: ValType) -> str:
    """Return the text-format spelling of a value type, e.g. ``i32`` or ``(ref null 0)``."""
    return str(t)


def is_num(t: ValType) -> bool:
    """True for i32, i64, f32, f64."""
    return isinstance(t, NumType)


def is_ref(t: ValType) -> bool:
    """True for every reference type."""
    return isinstance(t, RefType)


def default_bits(t: ValType) -> int | float | None:
    """Return the default (zero) value of a defaultable type; ``None`` for references."""
    if t is I32 or t is I64:
        return 0
    if t is F32 or t is F64:
        return 0.0
    if t is V128:
        return 0
    return None


class FuncType(Record):
    """A function type ``[params] -> [results]``."""

    __slots__ = ("params", "results")
    _compared = _shown = ("params", "results")
    params: tuple[ValType, ...]
    results: tuple[ValType, ...]

    def __init__(self, params: tuple[ValType, ...] = (),
                 results: tuple[ValType, ...] = ()) -> None:
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "results", results)

    def __str__(self) -> str:
        p = " ".join(map(str, self.params))
        r = " ".join(map(str, self.results))
        return f"[{p}] -> [{r}]"


class Limits(Record):
    """Size limits in pages (memories) or elements (tables); ``max is None`` means no maximum."""

    __slots__ = ("min", "max")
    _compared = _shown = ("min", "max")
    min: int
    max: int | None

    def __init__(self, min: int, max: int | None = None) -> None:
        object.__setattr__(self, "min", min)
        object.__setattr__(self, "max", max)


class MemoryType(Record):
    """A memory type: limits in pages and the address type (i32, or i64 for memory64)."""

    __slots__ = ("limits", "address_type", "shared", "page_size_log2")
    _compared = _shown = ("limits", "address_type", "shared", "page_size_log2")
    limits: Limits
    address_type: NumType
    shared: bool
    page_size_log2: int

    def __init__(self, limits: Limits, address_type: NumType = NumType.I32,
                 shared: bool = False, page_size_log2: int = 16) -> None:
        object.__setattr__(self, "limits", limits)
        object.__setattr__(self, "address_type", address_type)
        object.__setattr__(self, "shared", shared)
        object.__setattr__(self, "page_size_log2", page_size_log2)

    @property
    def is64(self) -> bool:
        """True for a memory64 memory."""
        return self.address_type is NumType.I64


class TableType(Record):
    """A table type: limits in elements, element reference type, address type."""

    __slots__ = ("limits", "element", "address_type")
    _compared = _shown = ("limits", "element", "address_type")
    limits: Limits
    element: RefType
    address_type: NumType

    def __init__(self, limits: Limits, element: RefType,
                 address_type: NumType = NumType.I32) -> None:
        object.__setattr__(self, "limits", limits)
        object.__setattr__(self, "element", element)
        object.__setattr__(self, "address_type", address_type)

    @property
    def is64(self) -> bool:
        """True for a table64 table."""
        return self.address_type is NumType.I64


class GlobalType(Record):
    """A global type: value type and mutability."""

    __slots__ = ("value_type", "mutable")
    _compared = _shown = ("value_type", "mutable")
    value_type: ValType
    mutable: bool

    def __init__(self, value_type: ValType, mutable: bool = False) -> None:
        object.__setattr__(self, "value_type", value_type)
        object.__setattr__(self, "mutable", mutable)


@enum_class(enum.IntEnum)
class ExternKind(IntEnumBase):
    """Kinds of imports and exports, with their binary codes."""

    FUNC = 0
    TABLE = 1
    MEMORY = 2
    GLOBAL = 3
    TAG = 4

    def __str__(self) -> str:
        return self.name.lower()
