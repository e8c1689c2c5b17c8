"""Decoding of instructions and expressions (spec "Binary Format / Instructions").

The immediates of each opcode are read according to its :class:`~wasmem.syntax.opcodes.Imm`
kind in the one opcode table; nothing here lists opcodes. Structured instructions are
assembled into :class:`~wasmem.syntax.instructions.Block` trees with an explicit stack,
so arbitrarily deep nesting never recurses in Python.
"""

from __future__ import annotations

from typing import Any

from ..errors import DecodeError, UnsupportedFeature
from ..syntax.instructions import Block, Catch, Expr, Instruction
from ..syntax.opcodes import Op
from ..syntax.types import RefType
from ..syntax.limits import MAX_BR_TABLE_TARGETS
from .decode_types import DecodeContext, read_block_type, read_heap_type, read_value_type
from .layout import (
    BLOCK,
    BR_ON_CAST,
    BR_TABLE,
    DATA_INDEX,
    DATA_INDEX2,
    F32,
    F64,
    HEAP_TYPE,
    I32,
    I64,
    INDEX,
    INDEX2,
    LANE,
    MEMARG,
    MEMARG_LANE,
    NONE,
    PREFIXED,
    REF_TYPE,
    REF_TYPE_NULL,
    SELECT_T,
    SHUFFLE,
    SINGLE,
    TRY_TABLE,
    V128,
)
from .reader import Reader

__all__ = ["read_expression", "read_immediates", "read_memarg"]

_THREADS_PREFIX = 0xFE
_ELSE = Op.ELSE
_END = Op.END
_IF = Op.IF
_MASK32 = 0xFFFF_FFFF
_MASK64 = 0xFFFF_FFFF_FFFF_FFFF


def read_memarg(reader: Reader) -> tuple[int, int, int]:
    """Read a memarg: flags (u32; bit 6 means an explicit memory index follows), offset (u64).

    Returns ``(align_log2, offset, memory_index)``.

    Raises:
        DecodeError: "malformed memop flags" if the flags are 128 or more.
    """
    start = reader.pos
    flags = reader.u32()
    if flags >= 0x80:
        raise reader.error("malformed memop flags", start)
    memory_index = reader.u32() if flags & 0x40 else 0
    return flags & 0x3F, reader.u64(), memory_index


def _read_catch(reader: Reader) -> Catch:
    start = reader.pos
    kind = reader.byte()
    if kind == 0 or kind == 1:
        tag = reader.u32()
        return Catch(kind, tag, reader.u32())
    if kind == 2 or kind == 3:
        return Catch(kind, None, reader.u32())
    raise reader.error("malformed catch clause", start)


def _illegal(reader: Reader, position: int, byte: int, sub: int | None = None) -> DecodeError:
    if sub is None:
        return reader.error(f"illegal opcode {byte:02x}", position)
    return reader.error(f"illegal opcode {byte:02x} {sub:02x}", position)


def read_immediates(reader: Reader, layout: int, context: DecodeContext) -> tuple[Any, ...]:
    """Read the immediates of one instruction whose opcode has been read.

    ``layout`` is the opcode's immediate layout (:mod:`wasmem.binary.layout`). Returns the
    immediates in the shape :mod:`wasmem.syntax.instructions` documents; for ``BLOCK`` and
    ``TRY_TABLE`` these are the block type (and catch clauses), the body follows.

    Raises:
        DecodeError: for a malformed immediate (bad LEB128, unknown value type, ...).
    """
    if layout == INDEX:
        return (reader.u32(),)
    if layout == I32:
        return (reader.s32() & _MASK32,)
    if layout == MEMARG:
        return read_memarg(reader)
    if layout == BLOCK:
        return (read_block_type(reader),)
    u32 = reader.u32
    if layout == INDEX2:
        first = u32()
        return (first, u32())
    if layout == I64:
        return (reader.s64() & _MASK64,)
    if layout == F32:
        return (reader.f32_bits(),)
    if layout == TRY_TABLE:
        block_type = read_block_type(reader)
        return (block_type, tuple(_read_catch(reader) for _ in range(reader.length())))
    if layout == NONE:
        return ()
    if layout == BR_TABLE:
        labels = reader.u32s(reader.count(MAX_BR_TABLE_TARGETS, "br_table targets"))
        return (labels, u32())
    if layout == DATA_INDEX:
        context.uses_data_index = True
        return (u32(),)
    if layout == DATA_INDEX2:
        context.uses_data_index = True
        first = u32()
        return (first, u32())
    if layout == HEAP_TYPE:
        return (read_heap_type(reader),)
    if layout == SELECT_T:
        return (tuple(read_value_type(reader) for _ in range(reader.length())),)
    if layout == V128:
        return (reader.v128_bits(),)
    if layout == LANE:
        return (reader.byte(),)
    if layout == SHUFFLE:
        return (tuple(reader.read(16)),)
    if layout == MEMARG_LANE:
        align, offset, memory = read_memarg(reader)
        return (align, offset, memory, reader.byte())
    if layout == REF_TYPE or layout == REF_TYPE_NULL:
        return (RefType(layout == REF_TYPE_NULL, read_heap_type(reader)),)
    if layout == BR_ON_CAST:
        start = reader.pos
        flags = reader.byte()
        if flags & ~0x03:
            raise reader.error("malformed br_on_cast flags", start)
        label = u32()
        source = RefType(bool(flags & 0x01), read_heap_type(reader))
        target = RefType(bool(flags & 0x02), read_heap_type(reader))
        return (label, source, target)
    if layout == F64:
        return (reader.f64_bits(),)
    raise reader.error("internal error: unknown immediate layout")  # pragma: no cover


def read_expression(reader: Reader, context: DecodeContext) -> tuple[Expr, int]:
    """Read instructions up to the ``end`` that closes the expression (spec "Expressions").

    Returns ``(instructions, offset_of_final_end)``.

    Raises:
        DecodeError: "illegal opcode XX" for unknown opcodes, "END opcode expected" for a
            misplaced ``else``, "unexpected end of section or function" at end of input,
            and any malformed immediate.
        UnsupportedFeature: for atomic instructions (threads).
    """
    data = reader.data
    end = reader.end
    single = SINGLE
    u32 = reader.u32
    new_instruction = Instruction
    body: list[Instruction] = []
    append = body.append
    # Open structured instructions: [key, immediates, position, outer body,
    # then-body (set once ``else`` is seen), else position].
    stack: list[list[Any]] = []
    # The position lives in the local ``pos``; ``reader.pos`` is synchronised around
    # every call that reads through the reader.
    pos = reader.pos
    while True:
        if pos >= end:
            reader.pos = pos
            raise reader.unexpected_end()
        position = pos
        byte = data[pos]
        pos += 1
        entry = single[byte]
        if entry is None:
            reader.pos = pos
            if byte == _END:
                if not stack:
                    return tuple(body), position
                key, immediates, start, outer, then_body, else_position = stack.pop()
                else_body: tuple[Instruction, ...] = ()
                if then_body is None:
                    then_body = body
                else:
                    else_body = tuple(body)
                outer.append(Block(key, immediates, start, tuple(then_body), else_body,
                                   end_position=position, else_position=else_position))
                body = outer
                append = body.append
                continue
            if byte == _ELSE:
                if stack:
                    frame = stack[-1]
                    if frame[0] == _IF and frame[4] is None:
                        frame[4] = body
                        frame[5] = position
                        body = []
                        append = body.append
                        continue
                raise reader.error("END opcode expected", position)
            if byte == _THREADS_PREFIX:
                raise UnsupportedFeature(
                    "threads", "atomic instructions are not supported", offset=position)
            if byte in PREFIXED:
                sub = u32()
                pos = reader.pos
                entry = PREFIXED[byte].get(sub) if sub <= 0xFFFF else None
                if entry is None:
                    raise _illegal(reader, position, byte, sub)
            else:
                raise _illegal(reader, position, byte)
        key, layout = entry
        if layout == NONE:
            append(new_instruction(key, (), position))
            continue
        if pos < end:
            # One-byte LEB128 immediates are decoded inline.
            byte = data[pos]
            if byte < 0x80:
                if layout == INDEX:
                    append(new_instruction(key, (byte,), position))
                    pos += 1
                    continue
                if layout == I32:
                    append(new_instruction(
                        key, (byte if byte < 0x40 else byte + 0xFFFF_FF80,), position))
                    pos += 1
                    continue
        reader.pos = pos
        if layout == BLOCK or layout == TRY_TABLE:
            stack.append([key, read_immediates(reader, layout, context), position, body,
                          None, None])
            body = []
            append = body.append
        else:
            append(new_instruction(key, read_immediates(reader, layout, context), position))
        pos = reader.pos
