"""Writing values and types in the binary format (spec "Binary Format / Values", "Types").

Integers are written as minimal LEB128; every ``write_*`` function appends to a
``bytearray``. ``encode_unsigned`` / ``encode_signed`` return fresh bytes.
"""

from __future__ import annotations

from ..syntax.instructions import BlockType
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

__all__ = [
    "encode_signed",
    "encode_unsigned",
    "write_block_type",
    "write_byte_vector",
    "write_func_type",
    "write_global_type",
    "write_heap_type",
    "write_memory_type",
    "write_name",
    "write_signed",
    "write_table_type",
    "write_unsigned",
    "write_value_type",
]

_REF_NULL_PREFIX = 0x63
_REF_PREFIX = 0x64


def write_unsigned(out: bytearray, value: int) -> None:
    """Append ``value`` (>= 0) as unsigned LEB128.

    Raises:
        ValueError: if ``value`` is negative.
    """
    if value < 0x80:
        if value < 0:
            raise ValueError(f"unsigned LEB128 of a negative number: {value}")
        out.append(value)
        return
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def write_signed(out: bytearray, value: int) -> None:
    """Append ``value`` as signed LEB128 (two's complement, sign-extended last byte)."""
    if -0x40 <= value < 0x40:
        out.append(value & 0x7F)
        return
    while True:
        byte = value & 0x7F
        value >>= 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            out.append(byte)
            return
        out.append(byte | 0x80)


def encode_unsigned(value: int) -> bytes:
    """Return the minimal unsigned LEB128 encoding of ``value`` (>= 0)."""
    out = bytearray()
    write_unsigned(out, value)
    return bytes(out)


def encode_signed(value: int) -> bytes:
    """Return the minimal signed LEB128 encoding of ``value``."""
    out = bytearray()
    write_signed(out, value)
    return bytes(out)


def write_name(out: bytearray, name: str) -> None:
    """Append a name: its UTF-8 length and bytes."""
    raw = name.encode("utf-8")
    write_unsigned(out, len(raw))
    out += raw


def write_byte_vector(out: bytearray, data: bytes) -> None:
    """Append ``vec(byte)``."""
    write_unsigned(out, len(data))
    out += data


# ---------------------------------------------------------------------- types
def write_heap_type(out: bytearray, heap_type: HeapType) -> None:
    """Append a heap type: an abstract type code or an s33 type index."""
    if isinstance(heap_type, AbsHeapType):
        out.append(heap_type.value)
    else:
        write_signed(out, heap_type)


def write_value_type(out: bytearray, value_type: ValType) -> None:
    """Append a value type; nullable abstract reference types use their one-byte form.

    Raises:
        TypeError: if ``value_type`` is not a value type.
    """
    if isinstance(value_type, RefType):
        heap_type = value_type.heap_type
        if value_type.nullable and isinstance(heap_type, AbsHeapType):
            out.append(heap_type.value)
            return
        out.append(_REF_NULL_PREFIX if value_type.nullable else _REF_PREFIX)
        write_heap_type(out, heap_type)
    elif isinstance(value_type, (NumType, VecType)):
        out.append(value_type.value)
    else:
        raise TypeError(f"not a value type: {value_type!r}")


def write_block_type(out: bytearray, block_type: BlockType) -> None:
    """Append a block type: 0x40 for none, a value type, or an s33 type index."""
    if block_type is None:
        out.append(0x40)
    elif isinstance(block_type, int):
        write_signed(out, block_type)
    else:
        write_value_type(out, block_type)


def write_func_type(out: bytearray, func_type: FuncType) -> None:
    """Append ``0x60 vec(params) vec(results)``."""
    out.append(0x60)
    for types in (func_type.params, func_type.results):
        write_unsigned(out, len(types))
        for value_type in types:
            write_value_type(out, value_type)


def _write_limits(out: bytearray, flags: int, limits: Limits) -> None:
    if limits.max is not None:
        flags |= 0x01
    out.append(flags)
    write_unsigned(out, limits.min)
    if limits.max is not None:
        write_unsigned(out, limits.max)


def write_table_type(out: bytearray, table_type: TableType) -> None:
    """Append a table type: reference type, limits (flag 0x04 for table64)."""
    write_value_type(out, table_type.element)
    _write_limits(out, 0x04 if table_type.is64 else 0, table_type.limits)


def write_memory_type(out: bytearray, memory_type: MemoryType) -> None:
    """Append a memory type: limits with flags 0x02 shared, 0x04 memory64, 0x08 page size."""
    flags = 0x04 if memory_type.is64 else 0
    if memory_type.shared:
        flags |= 0x02
    custom_page = memory_type.page_size_log2 != 16
    if custom_page:
        flags |= 0x08
    _write_limits(out, flags, memory_type.limits)
    if custom_page:
        write_unsigned(out, memory_type.page_size_log2)


def write_global_type(out: bytearray, global_type: GlobalType) -> None:
    """Append a global type: value type and mutability byte."""
    write_value_type(out, global_type.value_type)
    out.append(1 if global_type.mutable else 0)
