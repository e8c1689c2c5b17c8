"""Validation of function bodies straight from their binary encoding (the fused validator).

The same typing rules as :mod:`wasmem.valid.code` (the handlers of
:mod:`wasmem.valid.ops`, the checker of :mod:`wasmem.valid.stack`), driven by a loop that
reads instructions from the bytes instead of walking a tree: nothing is allocated for
the instructions that check cleanly, so a megabyte of code validates without building
half a million nodes. The body's tree is decoded later, when the function first runs.

This is a fast path for *accepting* modules. It raises on anything wrong, but its
errors carry no positions; :func:`wasmem.load.binary.load_binary` answers every failure
by decoding and validating the module the ordinary way, so users see exactly the errors
(and the error order) of :func:`~wasmem.binary.decode_module` + :func:`validate_module`.
"""

from __future__ import annotations

from typing import Any

from ..binary.decode_code import read_immediates
from ..binary.decode_types import DecodeContext
from ..binary.encoded import EncodedFunction
from ..binary.layout import (
    DATA_INDEX, DATA_INDEX2, F64, I32, INDEX, MEMARG, NONE, PREFIXED, SINGLE)
from ..binary.reader import Reader
from ..errors import DecodeError, ValidationError
from ..syntax.instructions import Block, Instruction
from ..syntax.module import Function
from ..syntax.opcodes import STRUCTURED, Op
from ..syntax.types import F32 as F32_TYPE
from ..syntax.types import F64 as F64_TYPE
from ..syntax.types import I32 as I32_TYPE
from ..syntax.types import I64 as I64_TYPE
from ..valid.ops import BINARY, HANDLERS, NULLARY, SIMPLE, UNARY, enter_block
from ..valid.stack import CodeChecker, Frame
from .fast import (
    BLOCK_RESULTS, F_BINARY, F_BLOCK, F_BR, F_BR_IF, F_BR_TABLE, F_CALL, F_CALL_INDIRECT,
    F_CONST_F32, F_CONST_F64, F_CONST_INT, F_DROP, F_ELSE, F_END, F_GLOBAL_GET, F_GLOBAL_SET,
    F_LOAD, F_LOCAL_GET, F_LOCAL_SET, F_LOCAL_TEE, F_RETURN, F_SELECT, F_STORE, F_UNARY, Entry,
    br_table_at, call_indirect_at, fast_tables, module_tables, u32_at)

__all__ = ["check_encoded_body", "validate_encoded_body"]

_END = Op.END
_ELSE = Op.ELSE
_IF = Op.IF
_LOCAL_GET_OP = Op.LOCAL_GET  # a single-byte opcode: its key is its byte
_I64_CONST_OP = Op.I64_CONST
_I32_CONST_OP = Op.I32_CONST

# What the loop does with an instruction once its immediates are read.
_LOCAL_GET, _LOCAL_SET, _LOCAL_TEE, _BINARY, _UNARY, _NULLARY, _HANDLER, _BLOCK, _SIMPLE = \
    range(9)


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
_PREFIXED: dict[int, dict[int, Entry]] = {prefix: {} for prefix in PREFIXED}
"""Entries of prefixed opcodes, classified at their first use (most modules have few
of the ~300: classifying them all cost 0.1-0.3 ms of every cold ``Module()``)."""


def _prefixed(byte: int, sub: int) -> Entry | None:
    """The entry of prefixed opcode ``byte sub`` (None if there is none), classified and
    kept in :data:`_PREFIXED` at its first use."""
    entry = PREFIXED[byte].get(sub)
    if entry is None:
        return None
    classified = _PREFIXED[byte][sub] = _classify(*entry)
    return classified

_FAST, _FAST_DATA = fast_tables(
    _SINGLE, local_get=_LOCAL_GET, local_set=_LOCAL_SET, local_tee=_LOCAL_TEE,
    binary=_BINARY, unary=_UNARY, nullary=_NULLARY)


def validate_encoded_body(c: CodeChecker, function: EncodedFunction,
                          has_data_count: bool) -> None:
    """Check ``function``'s body from its bytes; ``c`` holds the function's outer frame.

    ``has_data_count`` tells whether the module has a data count section (instructions
    with a data index need one).

    Raises:
        DecodeError, ValidationError, UnsupportedFeature: if the body is malformed or
            invalid; the message and position may be less precise than the tree
            validator's (see :func:`~wasmem.load.binary.load_binary`).
    """
    module_bytes, base, body_end = function.encoded
    # the body alone, so that reading past its end raises IndexError (a malformed body)
    # instead of each read checking the bound; positions are ``base + pos``
    data = module_bytes[base:body_end]
    try:
        _check(c, data, base, has_data_count)
    except IndexError:
        raise Reader(data).unexpected_end() from None


def _check(c: CodeChecker, raw: bytes, base: int, has_data_count: bool) -> None:
    """The loop of :func:`validate_encoded_body` over the body's bytes ``raw``."""
    # the loop reads the bytes as a list of ints: CPython 3.11 specialises indexing a
    # list by an int, not a ``bytes`` (listing costs a few ns a byte, once)
    data = list(raw)
    end = len(data)
    # (the reader and the decoding context are made when an immediate needs them: most
    # bodies need neither, and a module of many small functions paid for them per body)
    reader: Reader | None = None
    context: DecodeContext | None = None
    vals = c.vals
    append = vals.append
    # (the top is read as ``vals[top]``, ``top = len(vals) - 1``, and taken off by
    # ``pop()``: CPython 3.11 specialises list indexing for indices of 0 and up only, and
    # ``vals[-1]`` or ``del vals[-1]`` cost 150-250 more machine instructions each)
    pop = vals.pop
    ctrls = c.ctrls
    inits = c.inits
    local_types = c.local_types
    local_count = len(local_types)
    local_set = c.local_set
    # a one-byte LEB128 index below this is a local that is always set (every local of
    # the function has a default value: nothing to track)
    short_locals = min(local_count, 0x80) if all(local_set) else 0
    # and a two-byte one below this (unoptimised code has hundreds of locals)
    long_locals = min(local_count, 0x4000) if short_locals else 0
    single = _SINGLE
    fast = _FAST
    fast_data = _FAST_DATA
    block_results = BLOCK_RESULTS
    memories = c.context.memories
    memory32 = bool(memories) and memories[0].address_type is I32_TYPE
    i32 = I32_TYPE
    local_get_op = _LOCAL_GET_OP
    tables = module_tables(c.context)
    calls = tables.calls
    call_count = len(calls)
    global_gets = tables.global_gets
    global_sets = tables.global_sets
    global_count = len(global_gets)
    indirect = tables.indirect
    number_types = (I32_TYPE, I64_TYPE, F32_TYPE, F64_TYPE)
    returns = c.returns
    returns_list = list(returns)
    return_count = len(returns)
    i64_const_op = _I64_CONST_OP
    i32_const_op = _I32_CONST_OP
    plain_block: Block | None = None  # (made at the first block or loop)
    f_call, f_drop, f_select, f_global_get, f_global_set, f_return, f_else = (
        F_CALL, F_DROP, F_SELECT, F_GLOBAL_GET, F_GLOBAL_SET, F_RETURN, F_ELSE)
    f_call_indirect, f_br_table = F_CALL_INDIRECT, F_BR_TABLE
    frame = ctrls[-1]
    height = frame.height
    # the instruction kinds as locals (the loop compares them once per instruction)
    (f_binary, f_block, f_br, f_br_if, f_const_f32, f_const_f64, f_const_int, f_end, f_load,
     f_local_get, f_local_set, f_local_tee, f_store, f_unary, if_) = (
        F_BINARY, F_BLOCK, F_BR, F_BR_IF, F_CONST_F32, F_CONST_F64, F_CONST_INT,
        F_END, F_LOAD, F_LOCAL_GET, F_LOCAL_SET, F_LOCAL_TEE, F_STORE, F_UNARY, _IF)
    pos = 0
    while True:
        byte = data[pos]
        pos += 1
        kind = fast[byte]
        # ---- fast paths: each either settles the instruction (continue) or falls through
        if kind == f_local_get:
            index = data[pos]
            if index < short_locals:
                append(local_types[index])
                pos += 1
                # a second local.get or a small i32.const often follows (the operands of
                # a binary operator)
                following = data[pos]
                if following == local_get_op:
                    index = data[pos + 1]
                    if index < short_locals:
                        append(local_types[index])
                        pos += 2
                elif following == i32_const_op and data[pos + 1] < 0x80:
                    append(i32)
                    pos += 2
                continue
            if index >= 0x80 and data[pos + 1] < 0x80:
                index = (index & 0x7F) | data[pos + 1] << 7
                if index < long_locals:
                    append(local_types[index])
                    pos += 2
                    continue
        elif kind == f_binary:
            signature = fast_data[byte]
            top = len(vals) - 1
            if top > height and vals[top] is signature[1] and vals[top - 1] is signature[0]:
                pop()
                vals[top - 1] = signature[2]
                continue
        elif kind == f_const_int:
            # a constant of one to four LEB128 bytes is always well-formed: skip it
            after = (pos + 1 if data[pos] < 0x80 else
                     pos + 2 if data[pos + 1] < 0x80 else
                     pos + 3 if data[pos + 2] < 0x80 else
                     pos + 4 if data[pos + 3] < 0x80 else 0)
            if not after and byte != i64_const_op:
                # five bytes: the last one holds the sign extension of bit 31
                last = data[pos + 4]
                if last <= 0x07 or 0x78 <= last <= 0x7F:
                    after = pos + 5
            elif not after:
                # up to nine LEB128 bytes (63 bits) are always a well-formed i64; a
                # tenth (negative and big constants) holds bit 63 and its sign extension
                after = pos + 4
                limit = min(pos + 9, end)
                while after < limit and data[after] >= 0x80:
                    after += 1
                after = after + 1 if after < limit else (
                    after + 1 if after == pos + 9 < end and data[after] in (0, 0x7F) else 0)
            if after:
                pos = after
                append(fast_data[byte])
                # a binary operator often follows (an address or a counter)
                following = data[pos]
                if fast[following] == f_binary:
                    signature = fast_data[following]
                    top = len(vals) - 1
                    if top > height and vals[top] is signature[1] \
                            and vals[top - 1] is signature[0]:
                        pop()
                        vals[top - 1] = signature[2]
                        pos += 1
                continue
        elif kind == f_local_set or kind == f_local_tee:
            index = data[pos]
            top = len(vals) - 1
            if index < short_locals and top >= height and vals[top] is local_types[index]:
                if kind == f_local_set:
                    pop()
                pos += 1
                # a local.get often follows
                if data[pos] == local_get_op:
                    index = data[pos + 1]
                    if index < short_locals:
                        append(local_types[index])
                        pos += 2
                continue
            if index >= 0x80 and data[pos + 1] < 0x80 and len(vals) > height:
                index = (index & 0x7F) | data[pos + 1] << 7
                if index < long_locals and vals[-1] is local_types[index]:
                    if kind == f_local_set:
                        del vals[-1]
                    pos += 2
                    continue
        elif kind == f_unary:
            signature = fast_data[byte]
            top = len(vals) - 1
            if top >= height and vals[top] is signature[0]:
                vals[top] = signature[1]
                continue
        elif kind == f_load or kind == f_store:
            # memory 0 of 32-bit addresses, alignment flags of one byte, an offset of one
            # to five LEB128 bytes (linkers pad relocated offsets to five, whose last
            # byte holds bits 28-31 of a u32)
            natural, value_type = fast_data[byte]
            if memory32 and data[pos] <= natural:
                after = (pos + 2 if data[pos + 1] < 0x80 else
                         pos + 3 if data[pos + 2] < 0x80 else
                         pos + 4 if data[pos + 3] < 0x80 else
                         pos + 5 if data[pos + 4] < 0x80 else
                         pos + 6 if data[pos + 5] < 0x10 else 0)
                if after:
                    top = len(vals) - 1
                    if kind == f_load:
                        if top >= height and vals[top] is i32:
                            vals[top] = value_type
                            pos = after
                            continue
                    elif top > height and vals[top] is value_type and vals[top - 1] is i32:
                        del vals[top - 1:]
                        pos = after
                        continue
        elif kind == f_end:
            # the end of a block or loop, or of the else branch of an if, whose stack
            # holds exactly its results and which initialised no local
            block = frame.block
            if block is not None and (frame.kind != if_ or frame.in_else) \
                    and len(inits) == frame.init_height:
                results = frame.end_types
                count = len(results)
                if len(vals) - height == count and (
                        count == 0 or (count == 1 and vals[height] is results[0])):
                    del ctrls[-1]
                    frame = ctrls[-1]
                    height = frame.height
                    block.end_position = base + pos - 1
                    continue
            elif block is None and pos == end and len(ctrls) == 1 \
                    and vals[height:] == returns_list:
                # the function's own end, last in the body, with exactly the function's
                # results on its stack (compared at C speed; anything else, an
                # unreachable frame's short stack included, is the general loop's)
                del vals[height:]
                del ctrls[-1]
                return
        elif kind == f_block:
            block_type = block_results.get(data[pos])
            if block_type is not None and (byte != if_ or (
                    len(vals) > height and vals[-1] is i32)):
                if byte == if_:
                    del vals[-1]
                    block = Block(byte, (block_type[0] if block_type else None,),
                                  base + pos - 1)
                else:
                    # a block or loop frame needs its Block only to be told from the
                    # function's frame (and for positions in errors, which the tree
                    # validator reports): one Block serves them all
                    if plain_block is None:
                        plain_block = Block(Op.BLOCK, (None,), base)
                    block = plain_block
                frame = Frame(byte, (), block_type, len(vals), len(inits), block, ())
                ctrls.append(frame)
                height = len(vals)
                pos += 1
                continue
        elif kind == f_br_if:
            # a branch to a label without values, or of one value under the condition;
            # a depth of one or two bytes (switches lowered to nested blocks go deep)
            depth = data[pos]
            after = pos + 1
            if depth >= 0x80:
                after = pos + 2 if data[after] < 0x80 else 0
                depth = (depth & 0x7F) | data[pos + 1] << 7
            top = len(vals) - 1
            if after and depth < len(ctrls) and top >= height and vals[top] is i32:
                labels = ctrls[-1 - depth].labels
                if not labels or (len(labels) == 1 and top > height
                                  and vals[top - 1] is labels[0]):
                    pop()
                    pos = after
                    # a local.get often follows
                    if data[pos] == local_get_op:
                        index = data[pos + 1]
                        if index < short_locals:
                            append(local_types[index])
                            pos += 2
                    continue
        elif kind == f_br:
            # a branch to a label without values, or of the one value on top (a depth
            # of one or two bytes)
            depth = data[pos]
            after = pos + 1
            if depth >= 0x80:
                after = pos + 2 if data[after] < 0x80 else 0
                depth = (depth & 0x7F) | data[pos + 1] << 7
            if after and depth < len(ctrls):
                labels = ctrls[-1 - depth].labels
                if not labels or (len(labels) == 1 and len(vals) > height
                                  and vals[-1] is labels[0]):
                    del vals[height:]
                    frame.unreachable = True
                    pos = after
                    continue
        elif kind == f_call:
            # a function of number types; an index of one to five LEB128 bytes (linkers
            # pad relocated indices to five)
            index = data[pos]
            after = pos + 1
            if index >= 0x80:
                index &= 0x7F
                shift = 7
                while True:
                    part = data[after]
                    after += 1
                    if shift == 28:
                        if part >= 0x10:  # malformed: the general loop says how
                            index = call_count
                        else:
                            index |= part << 28
                        break
                    index |= (part & 0x7F) << shift
                    if part < 0x80:
                        break
                    shift += 7
            if index < call_count:
                signature = calls[index]
                if signature is not None:
                    params = signature[0]
                    count = len(params)
                    if count == 0:
                        vals.extend(signature[1])
                        pos = after
                        continue
                    if len(vals) - count >= height and vals[-count:] == params:
                        del vals[-count:]
                        vals.extend(signature[1])
                        pos = after
                        continue
        elif kind == f_drop:
            if len(vals) > height:
                pop()
                continue
        elif kind == f_global_get:
            index, after = u32_at(data, pos)
            global_type = global_gets[index] if 0 <= index < global_count else None
            if global_type is not None:
                append(global_type)
                pos = after
                continue
        elif kind == f_global_set:
            index, after = u32_at(data, pos)
            if 0 <= index < global_count and len(vals) > height \
                    and global_sets[index] is not None and vals[-1] is global_sets[index]:
                del vals[-1]
                pos = after
                continue
        elif kind == f_select:
            # untyped select of two operands of one number type
            if len(vals) - 3 >= height and vals[-1] is i32:
                operand = vals[-2]
                if operand is vals[-3] and operand in number_types:
                    del vals[-2:]
                    continue
        elif kind == f_return:
            if len(vals) - return_count >= height and (
                    return_count == 0 or vals[-return_count:] == returns_list):
                del vals[height:]
                frame.unreachable = True
                continue
        elif kind == f_else:
            # the end of an if's then branch whose stack holds exactly its results and
            # which initialised no local
            if frame.kind == if_ and not frame.in_else and len(inits) == frame.init_height:
                results = frame.end_types
                count = len(results)
                if len(vals) - height == count and (
                        count == 0 or (count == 1 and vals[-1] is results[0])):
                    del vals[height:]
                    frame.in_else = True
                    frame.unreachable = False
                    vals.extend(frame.start_types)
                    block = frame.block
                    if block is not None:
                        block.else_position = base + pos - 1
                    continue
        elif kind == f_const_f64 or kind == f_const_f32:
            after = pos + (8 if kind == f_const_f64 else 4)
            if after <= end:
                pos = after
                append(fast_data[byte])
                continue
        elif kind == f_call_indirect:
            # through table 0 of funcref, of a type of number types
            after = call_indirect_at(data, pos, vals, height, indirect)
            if after:
                pos = after
                continue
        elif kind == f_br_table:
            # one-byte depths to labels without values
            after = br_table_at(data, pos, vals, height, ctrls)
            if after:
                frame.unreachable = True
                pos = after
                continue
        # ---- the general loop
        position = base + pos - 1
        entry = single[byte]
        if entry is None:
            if byte == _END:
                if frame.kind == _IF and not frame.in_else:
                    c.end_sequence()  # the (empty) else branch follows
                c.end_sequence()
                if not ctrls:
                    if pos != end:
                        raise DecodeError("section size mismatch", offset=base + pos)
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
            if reader is None:
                reader = Reader(raw)
            reader.pos = pos
            sub = reader.u32()
            pos = reader.pos
            entry = _PREFIXED[byte].get(sub) or _prefixed(byte, sub)
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
            if reader is None:
                reader = Reader(raw)
            reader.pos = pos
            if context is None:
                context = DecodeContext()
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


def check_encoded_body(c: CodeChecker, function: Function, has_data_count: bool) -> bool:
    """The :data:`~wasmem.valid.code.BodyChecker` of the loading layer: check a body
    still in its binary encoding from its bytes; return False for a decoded body.

    Raises:
        DecodeError, ValidationError, UnsupportedFeature: as
            :func:`validate_encoded_body`.
    """
    if isinstance(function, EncodedFunction) and not function.is_decoded:
        validate_encoded_body(c, function, has_data_count)
        return True
    return False
