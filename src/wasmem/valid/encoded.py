"""Validation of function bodies straight from their binary encoding.

The same typing rules as :mod:`wasmem.valid.code` (the handlers of
:mod:`wasmem.valid.ops`, the checker of :mod:`wasmem.valid.stack`), driven by a loop that
reads instructions from the bytes instead of walking a tree: nothing is allocated for
the instructions that check cleanly, so a megabyte of code validates without building
half a million nodes. The body's tree is decoded later, when the function first runs.

This is a fast path for *accepting* modules. It raises on anything wrong, but its
errors carry no positions; :func:`wasmem.valid.load.load_binary` answers every failure
by decoding and validating the module the ordinary way, so users see exactly the errors
(and the error order) of :func:`~wasmem.binary.decode_module` + :func:`validate_module`.
"""

from __future__ import annotations

from typing import Any

from ..binary.decode_code import read_immediates
from ..binary.decode_types import DecodeContext
from ..binary.encoded import EncodedFunction
from ..binary.layout import (
    DATA_INDEX,
    DATA_INDEX2,
    F64,
    I32,
    I64,
    INDEX,
    MEMARG,
    NONE,
    PREFIXED,
    SINGLE,
)
from ..binary.reader import Reader
from ..errors import DecodeError, ValidationError
from ..syntax.instructions import Block, Instruction
from ..syntax.opcodes import STRUCTURED, Op
from .ops import BINARY, HANDLERS, NULLARY, SIMPLE, UNARY, enter_block
from .stack import CodeChecker

__all__ = ["validate_encoded_body"]

_END = Op.END
_LOCAL_GET_BYTE = Op.LOCAL_GET  # a single-byte opcode: its key is its byte
_ELSE = Op.ELSE
_IF = Op.IF

# What the loop does with an instruction once its immediates are read.
_LOCAL_GET, _LOCAL_SET, _LOCAL_TEE, _BINARY, _UNARY, _NULLARY, _HANDLER, _BLOCK, _SIMPLE = \
    range(9)

Entry = tuple[int, int, int, Any]
"""``(key, layout, action, signature)``."""


def _classify(key: int, layout: int) -> Entry:
    if key == Op.LOCAL_GET:
        return key, layout, _LOCAL_GET, None
    if key == Op.LOCAL_SET:
        return key, layout, _LOCAL_SET, None
    if key == Op.LOCAL_TEE:
        return key, layout, _LOCAL_TEE, None
    if key in BINARY:
        return key, layout, _BINARY, BINARY[key]
    if key in UNARY:
        return key, layout, _UNARY, UNARY[key]
    if key in NULLARY:
        return key, layout, _NULLARY, NULLARY[key]
    if key in HANDLERS:
        return key, layout, _HANDLER, HANDLERS[key]
    if key in STRUCTURED:
        return key, layout, _BLOCK, None
    return key, layout, _SIMPLE, SIMPLE.get(key)


_SINGLE: list[Entry | None] = [
    None if entry is None else _classify(*entry) for entry in SINGLE]
_PREFIXED: dict[int, dict[int, Entry]] = {
    prefix: {sub: _classify(*entry) for sub, entry in table.items()}
    for prefix, table in PREFIXED.items()}


def validate_encoded_body(c: CodeChecker, function: EncodedFunction,
                          has_data_count: bool) -> None:
    """Check ``function``'s body from its bytes; ``c`` holds the function's outer frame.

    ``has_data_count`` tells whether the module has a data count section (instructions
    with a data index need one).

    Raises:
        DecodeError, ValidationError, UnsupportedFeature: if the body is malformed or
            invalid; the message and position may be less precise than the tree
            validator's (see :func:`load_binary`).
    """
    data, pos, end = function.encoded
    reader = Reader(data, pos)
    reader.end = end
    context = DecodeContext()
    vals = c.vals
    append = vals.append
    ctrls = c.ctrls
    local_types = c.local_types
    local_count = len(local_types)
    local_set = c.local_set
    single = _SINGLE
    frame = ctrls[-1]
    height = frame.height
    while True:
        if pos >= end:
            raise reader.unexpected_end()
        position = pos
        byte = data[pos]
        pos += 1
        if byte == _LOCAL_GET_BYTE and pos < end:  # the most frequent instruction
            index = data[pos]
            if index < 0x80 and index < local_count and local_set[index]:
                append(local_types[index])
                pos += 1
                continue
        entry = single[byte]
        if entry is None:
            if byte == _END:
                if frame.kind == _IF and not frame.in_else:
                    c.end_sequence()  # the (empty) else branch follows
                c.end_sequence()
                if not ctrls:
                    if pos != end:
                        raise DecodeError("section size mismatch", offset=pos)
                    return
                frame = ctrls[-1]
                height = frame.height
                continue
            if byte == _ELSE:
                if frame.kind != _IF or frame.in_else:
                    raise DecodeError("END opcode expected", offset=position)
                block = frame.block
                if block is not None:
                    block.else_position = position
                c.end_sequence()
                continue
            if byte not in _PREFIXED:
                raise DecodeError(f"illegal opcode {byte:02x}", offset=position)
            reader.pos = pos
            sub = reader.u32()
            pos = reader.pos
            entry = _PREFIXED[byte].get(sub)
            if entry is None:
                raise DecodeError(f"illegal opcode {byte:02x} {sub:02x}", offset=position)
        key, layout, action, signature = entry
        # ---- immediates (one-byte LEB128 indices and constants inline)
        if layout == NONE:
            immediates: tuple[Any, ...] = ()
        elif pos < end and data[pos] < 0x80 and (layout == INDEX or layout == I32):
            byte = data[pos]
            pos += 1
            if action == _LOCAL_GET:
                if byte < local_count and local_set[byte]:
                    append(local_types[byte])
                    continue
            elif action == _LOCAL_SET or action == _LOCAL_TEE:
                if byte < local_count and local_set[byte] and len(vals) > height \
                        and vals[-1] is local_types[byte]:
                    if action == _LOCAL_SET:
                        del vals[-1]
                    continue
            elif action == _NULLARY:
                append(signature)
                continue
            immediates = (byte,) if layout == INDEX or byte < 0x40 else (byte + 0xFFFF_FF80,)
        elif action == _NULLARY and (layout == I32 or layout == I64) and pos + 3 < end and (
                data[pos] < 0x80 or data[pos + 1] < 0x80 or data[pos + 2] < 0x80
                or data[pos + 3] < 0x80):
            # a constant of one to four LEB128 bytes is always well-formed: skip it
            pos += (1 if data[pos] < 0x80 else 2 if data[pos + 1] < 0x80
                    else 3 if data[pos + 2] < 0x80 else 4)
            append(signature)
            continue
        elif action == _NULLARY and layout == F64 and pos + 8 <= end:
            pos += 8
            append(signature)
            continue
        elif layout == MEMARG and pos + 1 < end and data[pos] < 0x40 and data[pos + 1] < 0x80:
            # flags without a memory index, one-byte offset
            immediates = (data[pos], data[pos + 1], 0)
            pos += 2
        else:
            if layout == DATA_INDEX or layout == DATA_INDEX2:
                if not has_data_count:
                    raise DecodeError("data count section required", offset=position)
            reader.pos = pos
            immediates = read_immediates(reader, layout, context)
            pos = reader.pos
        # ---- typing
        if action == _BINARY:
            if len(vals) - 2 >= height and vals[-1] is signature[1] \
                    and vals[-2] is signature[0]:
                del vals[-1]
                vals[-1] = signature[2]
            else:
                c.pop_vals((signature[0], signature[1]), Instruction(key, immediates, position))
                append(signature[2])
        elif action == _UNARY:
            if len(vals) > height and vals[-1] is signature[0]:
                vals[-1] = signature[1]
            else:
                c.pop_vals((signature[0],), Instruction(key, immediates, position))
                append(signature[1])
        elif action == _NULLARY:
            append(signature)
        elif action == _BLOCK:
            enter_block(c, Block(key, immediates, position))
            frame = ctrls[-1]
            height = frame.height
        elif action == _SIMPLE and signature is not None:
            c.pop_vals(signature[0], Instruction(key, immediates, position))
            vals.extend(signature[1])
        elif action == _SIMPLE:
            raise ValidationError(f"unknown instruction (opcode key {key:#x})")
        else:  # a handler, including those of local.get/set/tee
            HANDLERS[key](c, Instruction(key, immediates, position))
