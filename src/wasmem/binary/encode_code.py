"""Encoding of instructions and expressions (spec "Binary Format / Instructions").

The inverse of :mod:`wasmem.binary.decode_code`: opcode bytes and immediate layouts come
from the one opcode table (through :mod:`wasmem.binary.layout`); ``Block`` trees are
written with an explicit work stack, so deep nesting never recurses.
"""

from __future__ import annotations

from typing import Any

from ..syntax.instructions import Block, Catch, Instruction
from ..syntax.opcodes import Op, opcode_bytes
from ..syntax.types import RefType
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
    LAYOUT_BY_KEY,
    MEMARG,
    MEMARG_LANE,
    NONE,
    REF_TYPE,
    REF_TYPE_NULL,
    SELECT_T,
    SHUFFLE,
    TRY_TABLE,
    V128,
)
from .writer import (
    write_block_type,
    write_heap_type,
    write_signed,
    write_unsigned,
    write_value_type,
)

__all__ = ["ExpressionWriter"]


def _opcode_prefix(key: int) -> bytes:
    byte, sub = opcode_bytes(key)
    if sub is None:
        return bytes([byte])
    out = bytearray([byte])
    write_unsigned(out, sub)
    return bytes(out)


_OPCODES: dict[int, tuple[bytes, int]] = {
    key: (_opcode_prefix(key), layout) for key, layout in LAYOUT_BY_KEY.items()
}
_END = Op.END
_ELSE = Op.ELSE


def _write_memarg(out: bytearray, align: int, offset: int, memory_index: int) -> None:
    if memory_index:
        write_unsigned(out, align | 0x40)
        write_unsigned(out, memory_index)
    else:
        write_unsigned(out, align)
    write_unsigned(out, offset)


def _write_catch(out: bytearray, catch: Catch) -> None:
    out.append(catch.kind)
    if catch.tag is not None:
        write_unsigned(out, catch.tag)
    write_unsigned(out, catch.label)


def _write_rare(out: bytearray, layout: int, immediates: tuple[Any, ...]) -> None:
    """Write the immediates of the less frequent layouts (not blocks)."""
    if layout == BR_TABLE:
        labels, default = immediates
        write_unsigned(out, len(labels))
        for label in labels:
            write_unsigned(out, label)
        write_unsigned(out, default)
    elif layout == I64:
        value = immediates[0] & 0xFFFF_FFFF_FFFF_FFFF
        write_signed(out, value - (1 << 64) if value >> 63 else value)
    elif layout == F64:
        out += (immediates[0] & 0xFFFF_FFFF_FFFF_FFFF).to_bytes(8, "little")
    elif layout == HEAP_TYPE:
        write_heap_type(out, immediates[0])
    elif layout == SELECT_T:
        types = immediates[0]
        write_unsigned(out, len(types))
        for value_type in types:
            write_value_type(out, value_type)
    elif layout == V128:
        out += (immediates[0] & ((1 << 128) - 1)).to_bytes(16, "little")
    elif layout == LANE:
        out.append(immediates[0])
    elif layout == SHUFFLE:
        lanes = bytes(immediates[0])
        if len(lanes) != 16:
            raise ValueError(f"i8x16.shuffle needs 16 lane indices, got {len(lanes)}")
        out += lanes
    elif layout == MEMARG_LANE:
        _write_memarg(out, immediates[0], immediates[1], immediates[2])
        out.append(immediates[3])
    elif layout == REF_TYPE or layout == REF_TYPE_NULL:
        write_heap_type(out, immediates[0].heap_type)
    elif layout == BR_ON_CAST:
        label, source, target = immediates
        if not isinstance(source, RefType) or not isinstance(target, RefType):
            raise ValueError(f"br_on_cast needs two reference types, got {immediates!r}")
        out.append((0x01 if source.nullable else 0) | (0x02 if target.nullable else 0))
        write_unsigned(out, label)
        write_heap_type(out, source.heap_type)
        write_heap_type(out, target.heap_type)
    else:  # pragma: no cover - every layout is handled above or in the caller
        raise ValueError(f"unknown immediate layout {layout}")


class ExpressionWriter:
    """Writes expressions; remembers whether any used a data index (for the data count)."""

    __slots__ = ("uses_data_index",)

    def __init__(self) -> None:
        self.uses_data_index = False

    def write(self, out: bytearray, instructions: tuple[Instruction, ...]) -> None:
        """Append ``instructions`` and the final ``end`` to ``out``.

        Raises:
            ValueError: for an instruction whose opcode is not in the opcode table or
                whose immediates do not have the shape of its kind.
        """
        opcodes = _OPCODES
        # Work stack: instructions still to write, and END/ELSE markers (ints).
        work: list[Instruction | int] = [_END]
        work.extend(reversed(instructions))
        while work:
            item = work.pop()
            if isinstance(item, int):
                out.append(item)
                continue
            try:
                prefix, layout = opcodes[item.opcode]
                immediates = item.immediates
                out += prefix
                if layout == NONE:
                    pass
                elif layout == INDEX:
                    write_unsigned(out, immediates[0])
                elif layout == I32:
                    value = immediates[0] & 0xFFFF_FFFF
                    write_signed(out, value - (1 << 32) if value >> 31 else value)
                elif layout == MEMARG:
                    _write_memarg(out, immediates[0], immediates[1], immediates[2])
                elif layout == BLOCK or layout == TRY_TABLE:
                    if not isinstance(item, Block):
                        raise ValueError("structured instruction is not a Block")
                    write_block_type(out, immediates[0])
                    if layout == TRY_TABLE:
                        catches = immediates[1]
                        write_unsigned(out, len(catches))
                        for catch in catches:
                            _write_catch(out, catch)
                    work.append(_END)
                    if item.else_body:
                        if item.opcode != Op.IF:
                            raise ValueError("only `if` can have an else body")
                        work.extend(reversed(item.else_body))
                        work.append(_ELSE)
                    work.extend(reversed(item.body))
                elif layout == INDEX2 or layout == DATA_INDEX2:
                    if layout == DATA_INDEX2:
                        self.uses_data_index = True
                    write_unsigned(out, immediates[0])
                    write_unsigned(out, immediates[1])
                elif layout == F32:
                    out += (immediates[0] & 0xFFFF_FFFF).to_bytes(4, "little")
                elif layout == DATA_INDEX:
                    self.uses_data_index = True
                    write_unsigned(out, immediates[0])
                else:
                    _write_rare(out, layout, immediates)
            except (KeyError, IndexError, TypeError, AttributeError) as error:
                raise ValueError(f"cannot encode instruction {item!r}: {error}") from error
