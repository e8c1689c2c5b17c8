"""Decoding of types (spec "Binary Format / Types").

Value, heap and reference types, block types, limits, table/memory/global/tag types and
the type section's defined types. Type codes are single bytes read as the spec reads
them (as a 7-bit signed LEB128, so a byte with the continuation bit set is "integer
representation too long"); type indices are s33.

GC type forms (``rec``, ``sub``, ``struct``, ``array``), shared memories and custom page
sizes are parsed completely, so malformed ones are still DecodeErrors, and then recorded
in the :class:`DecodeContext` as unsupported; the decoder raises the recorded
:class:`~wasmem.errors.UnsupportedFeature` only if the whole module is well-formed.
"""

from __future__ import annotations

from ..errors import DecodeError, UnsupportedFeature
from ..syntax.instructions import BlockType
from ..syntax.limits import MAX_PARAMS, MAX_RESULTS
from ..syntax.types import (
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
from .reader import Reader

__all__ = [
    "VALUE_TYPE_CODES",
    "DecodeContext",
    "read_block_type",
    "read_defined_types",
    "read_global_type",
    "read_heap_type",
    "read_limits",
    "read_memory_type",
    "read_ref_type",
    "read_table_type",
    "read_tag_type",
    "read_value_type",
]


class DecodeContext:
    """Per-module decoder state shared by the section readers.

    ``unsupported`` keeps the first unsupported feature met (raised at the end if the
    module is otherwise well-formed); ``uses_data_index`` records whether code mentions a
    data index (``memory.init``, ``data.drop``, ...), which needs a data count section.
    """

    __slots__ = ("unsupported", "uses_data_index")

    def __init__(self) -> None:
        self.unsupported: UnsupportedFeature | None = None
        self.uses_data_index = False

    def note_unsupported(self, feature: str, message: str, offset: int) -> None:
        """Record an unsupported feature (only the first one is kept)."""
        if self.unsupported is None:
            self.unsupported = UnsupportedFeature(feature, message, offset=offset)


_HEAP_TYPE_CODES: dict[int, AbsHeapType] = {ht.value: ht for ht in AbsHeapType}

VALUE_TYPE_CODES: dict[int, ValType] = {
    **{t.value: t for t in NumType},
    VecType.V128.value: VecType.V128,
    **{code: RefType(True, ht) for code, ht in _HEAP_TYPE_CODES.items()},
}
"""Single-byte value type codes: number, vector and abbreviated (nullable) reference types."""

_REF_NULL_PREFIX = 0x63
_REF_PREFIX = 0x64
_EMPTY_BLOCK = 0x40
_PACKED_TYPES = (0x78, 0x77)  # i8, i16 (GC storage types)
_FUNC_TYPE = 0x60
_STRUCT_TYPE = 0x5F
_ARRAY_TYPE = 0x5E
_SUB_TYPE = 0x50
_SUB_FINAL_TYPE = 0x4F
_REC_TYPE = 0x4E
_TOO_LONG = "integer representation too long"


def read_heap_type(reader: Reader) -> HeapType:
    """Read a heap type: an abstract heap type code or a non-negative s33 type index.

    Raises:
        DecodeError: "malformed heap type" for other codes or negative indices.
    """
    start = reader.pos
    byte = reader.byte()
    if byte < 0x40:
        return byte
    if byte < 0x80:
        heap_type = _HEAP_TYPE_CODES.get(byte)
        if heap_type is None:
            raise reader.error("malformed heap type", start)
        return heap_type
    reader.pos = start
    index = reader.s33()
    if index < 0:
        raise reader.error("malformed heap type", start)
    return index


def _read_value_type_code(reader: Reader, byte: int, start: int, what: str) -> ValType:
    """Finish a value type whose first byte ``byte`` (at ``start``) was already read."""
    value_type = VALUE_TYPE_CODES.get(byte)
    if value_type is not None:
        return value_type
    if byte == _REF_NULL_PREFIX or byte == _REF_PREFIX:
        return RefType(byte == _REF_NULL_PREFIX, read_heap_type(reader))
    if byte >= 0x80:
        raise reader.error(_TOO_LONG, start + 1)
    raise reader.error(f"malformed {what}", start)


def read_value_type(reader: Reader) -> ValType:
    """Read a value type (spec "Value Types").

    Raises:
        DecodeError: "malformed value type" for an unknown code.
    """
    start = reader.pos
    return _read_value_type_code(reader, reader.byte(), start, "value type")


def read_ref_type(reader: Reader) -> RefType:
    """Read a reference type (spec "Reference Types").

    Raises:
        DecodeError: "malformed reference type" for a code that is not a reference type.
    """
    start = reader.pos
    byte = reader.byte()
    value_type = _read_value_type_code(reader, byte, start, "reference type")
    if not isinstance(value_type, RefType):
        raise reader.error("malformed reference type", start)
    return value_type


def read_block_type(reader: Reader) -> BlockType:
    """Read a block type: ``0x40`` (None), a value type, or a non-negative s33 type index.

    Raises:
        DecodeError: "malformed value type" for an unknown code,
            "integer representation too long" for a multi-byte code that is not an index.
    """
    start = reader.pos
    byte = reader.byte()
    if byte == _EMPTY_BLOCK:
        return None
    if byte < 0x40:
        return byte
    if byte < 0x80:
        return _read_value_type_code(reader, byte, start, "value type")
    reader.pos = start
    try:
        index = reader.s33()
    except DecodeError:
        index = -1
    if index < 0:
        raise reader.error(_TOO_LONG, start + 1)
    return index


def _read_limits_body(reader: Reader, flags: int) -> Limits:
    minimum = reader.u64()
    maximum = reader.u64() if flags & 0x01 else None
    return Limits(minimum, maximum)


def read_limits(reader: Reader, allowed_flags: int) -> tuple[int, Limits]:
    """Read the limits flags byte (checked against ``allowed_flags``), min and max (u64).

    Returns ``(flags, limits)``.

    Raises:
        DecodeError: "malformed limits flags" if a flag outside ``allowed_flags`` is set.
    """
    start = reader.pos
    flags = reader.byte()
    if flags & ~allowed_flags:
        raise reader.error("malformed limits flags", start)
    return flags, _read_limits_body(reader, flags)


def read_table_type(reader: Reader) -> TableType:
    """Read a table type: reference type then limits (flags: 0x01 max, 0x04 table64)."""
    element = read_ref_type(reader)
    flags, limits = read_limits(reader, 0x05)
    return TableType(limits, element, NumType.I64 if flags & 0x04 else NumType.I32)


def read_memory_type(reader: Reader, context: DecodeContext) -> MemoryType:
    """Read a memory type: limits with flags 0x01 max, 0x02 shared, 0x04 memory64, 0x08 page size.

    Shared memories (threads) and custom page sizes are recorded as unsupported in
    ``context``. A page-size flag whose page size cannot be read is "malformed limits
    flags", as in the core spec, which has no such flag.
    """
    start = reader.pos
    flags = reader.byte()
    if flags & ~0x0F:
        raise reader.error("malformed limits flags", start)
    page_size_log2 = 16
    if flags & 0x08:
        try:
            limits = _read_limits_body(reader, flags)
            page_size_log2 = reader.u32()
        except DecodeError:
            raise reader.error("malformed limits flags", start) from None
        context.note_unsupported(
            "custom-page-sizes", "custom page sizes are not supported", start)
    else:
        limits = _read_limits_body(reader, flags)
    shared = bool(flags & 0x02)
    if shared:
        context.note_unsupported("threads", "shared memories are not supported", start)
    address_type = NumType.I64 if flags & 0x04 else NumType.I32
    return MemoryType(limits, address_type, shared, page_size_log2)


def read_mutability(reader: Reader) -> bool:
    """Read a mutability byte: 0 const, 1 var; else "malformed mutability"."""
    byte = reader.byte()
    if byte == 0:
        return False
    if byte == 1:
        return True
    raise reader.error("malformed mutability", reader.pos - 1)


def read_global_type(reader: Reader) -> GlobalType:
    """Read a global type: value type then mutability."""
    value_type = read_value_type(reader)
    return GlobalType(value_type, read_mutability(reader))


def read_tag_type(reader: Reader) -> int:
    """Read a tag type: the attribute byte 0x00, then a function type index."""
    reader.expect(0x00, "zero byte expected")
    return reader.u32()


# ---------------------------------------------------------------------- defined types
def _read_result_type(reader: Reader, limit: int, what: str) -> tuple[ValType, ...]:
    return tuple(read_value_type(reader) for _ in range(reader.count(limit, what)))


def _read_field_type(reader: Reader) -> None:
    start = reader.pos
    byte = reader.byte()
    if byte not in _PACKED_TYPES:
        _read_value_type_code(reader, byte, start, "storage type")
    read_mutability(reader)


def _read_composite_type(reader: Reader, context: DecodeContext) -> FuncType:
    """Read a composite type; struct and array types give a placeholder FuncType."""
    start = reader.pos
    byte = reader.byte()
    if byte == _FUNC_TYPE:
        params = _read_result_type(reader, MAX_PARAMS, "params")
        return FuncType(params, _read_result_type(reader, MAX_RESULTS, "results"))
    if byte == _STRUCT_TYPE:
        for _ in range(reader.length()):
            _read_field_type(reader)
    elif byte == _ARRAY_TYPE:
        _read_field_type(reader)
    elif byte >= 0x80:
        raise reader.error(_TOO_LONG, start + 1)
    else:
        raise reader.error("malformed definition type", start)
    context.note_unsupported("gc", "struct and array types are not supported", start)
    return FuncType()


def _read_sub_type(reader: Reader, context: DecodeContext) -> FuncType:
    start = reader.pos
    byte = reader.peek()
    if byte == _SUB_TYPE or byte == _SUB_FINAL_TYPE:
        reader.pos += 1
        for _ in range(reader.length()):
            reader.u32()
        context.note_unsupported("gc", "subtype declarations are not supported", start)
    return _read_composite_type(reader, context)


def read_defined_types(reader: Reader, context: DecodeContext) -> list[FuncType]:
    """Read one entry of the type section (a recursive type) as a list of types.

    Only plain function types are supported; every GC form is parsed and then recorded
    in ``context`` as unsupported ("gc"), with placeholders keeping the indices right.
    """
    start = reader.pos
    if reader.peek() == _REC_TYPE:
        reader.pos += 1
        context.note_unsupported("gc", "recursive type groups are not supported", start)
        return [_read_sub_type(reader, context) for _ in range(reader.length())]
    return [_read_sub_type(reader, context)]
