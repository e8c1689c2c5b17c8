"""The fused validator's fast paths: which single-byte instructions it settles first.

:mod:`wasmem.load.encoded` tries a fast path for the most frequent single-byte
instructions before its general loop; whatever a fast path cannot settle (an operand of
another type, a long immediate, an unreachable frame...) falls through to the general
loop, which decides exactly. This module classifies the opcodes for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..binary.layout import F32, F64, I32, I64, MEMARG, NONE
from ..syntax.opcodes import OPCODES, Op
from ..syntax.types import F32 as F32_TYPE
from ..syntax.types import FUNCREF
from ..syntax.types import F64 as F64_TYPE
from ..syntax.types import I32 as I32_TYPE
from ..syntax.types import I64 as I64_TYPE

__all__ = ["BLOCK_RESULTS", "Entry", "ModuleTables", "fast_tables", "module_tables",
           "u32_at", "call_indirect_at", "br_table_at"]

Entry = tuple[int, int, int, Any]
"""``(key, layout, action, signature)``: an opcode as the general loop sees it."""

# The fast paths, by kind.
(F_OTHER, F_LOCAL_GET, F_LOCAL_SET, F_LOCAL_TEE, F_BINARY, F_UNARY, F_CONST_INT,
 F_CONST_F32, F_CONST_F64, F_LOAD, F_STORE, F_BLOCK, F_END, F_BR_IF, F_BR, F_CALL, F_DROP,
 F_SELECT, F_GLOBAL_GET, F_GLOBAL_SET, F_RETURN, F_ELSE, F_CALL_INDIRECT, F_BR_TABLE) = range(24)


_BY_KEY = {Op.BLOCK: F_BLOCK, Op.LOOP: F_BLOCK, Op.IF: F_BLOCK, Op.BR_IF: F_BR_IF,
           Op.BR: F_BR, Op.CALL: F_CALL, Op.DROP: F_DROP, Op.SELECT: F_SELECT,
           Op.GLOBAL_GET: F_GLOBAL_GET, Op.GLOBAL_SET: F_GLOBAL_SET, Op.RETURN: F_RETURN,
           Op.CALL_INDIRECT: F_CALL_INDIRECT, Op.BR_TABLE: F_BR_TABLE}
"""The fast paths of single-byte opcodes chosen by the opcode alone."""


def fast_tables(single: Sequence[Entry | None], *, local_get: int, local_set: int,
                local_tee: int, binary: int, unary: int, nullary: int
                ) -> tuple[list[int], list[Any]]:
    """Return, per first byte, the fast path's kind and its data (a signature, or the
    natural alignment and value type of a memory access), from the general loop's
    entries of single-byte opcodes and its numbers for the actions named."""
    kinds = [F_OTHER] * 256
    data: list[Any] = [None] * 256
    for byte, entry in enumerate(single):
        if entry is None:
            continue
        key, layout, action, signature = entry
        info = OPCODES.get(key)
        if action == local_get:
            kinds[byte] = F_LOCAL_GET
        elif action == local_set:
            kinds[byte] = F_LOCAL_SET
        elif action == local_tee:
            kinds[byte] = F_LOCAL_TEE
        elif action == binary and layout == NONE:
            kinds[byte], data[byte] = F_BINARY, signature
        elif action == unary and layout == NONE:
            kinds[byte], data[byte] = F_UNARY, signature
        elif action == nullary and layout in (I32, I64):
            kinds[byte], data[byte] = F_CONST_INT, signature
        elif action == nullary and layout == F32:
            kinds[byte], data[byte] = F_CONST_F32, signature
        elif action == nullary and layout == F64:
            kinds[byte], data[byte] = F_CONST_F64, signature
        elif layout == MEMARG and info is not None and info.memory_type is not None:
            if info.results:
                kinds[byte] = F_LOAD
                data[byte] = (info.natural_alignment, info.results[0])
            else:
                kinds[byte] = F_STORE
                data[byte] = (info.natural_alignment, info.memory_type)
        elif key in _BY_KEY:
            kinds[byte] = _BY_KEY[key]
    kinds[Op.END] = F_END
    kinds[Op.ELSE] = F_ELSE
    return kinds, data


BLOCK_RESULTS: dict[int, tuple[Any, ...]] = {
    0x40: (), 0x7F: (I32_TYPE,), 0x7E: (I64_TYPE,), 0x7D: (F32_TYPE,), 0x7C: (F64_TYPE,)}
"""Block types of one byte the fast path settles: empty, or one number type."""


def _number(value_type: object) -> bool:
    """True for the number types (the value types the fast paths compare by identity)."""
    return (value_type is I32_TYPE or value_type is I64_TYPE or value_type is F32_TYPE
            or value_type is F64_TYPE)


def _signature(types: Sequence[Any], index: int) -> tuple[list[Any], tuple[Any, ...]] | None:
    """``(params, results)`` of type ``index`` (params as a list), or None unless it is a
    function type of number types only."""
    params = getattr(types[index], "params", None)
    results = getattr(types[index], "results", None)
    if (params is not None and results is not None and all(_number(t) for t in params)
            and all(_number(t) for t in results)):
        return list(params), tuple(results)
    return None


class ModuleTables:
    """What the fast paths need to know about a module's functions and globals.

    ``calls[i]`` is ``(params, results)`` of function ``i`` (params as a list, for a
    comparison with the top of the operand stack at C speed), ``indirect[t]`` is
    ``(params + [i32], results)`` of a ``call_indirect`` of type ``t`` through table 0
    (all None unless table 0 holds ``funcref`` and has 32-bit addresses),
    ``global_gets[i]`` the type of global ``i`` and ``global_sets[i]`` the type of a
    mutable global ``i``; an entry is None where a type is not a number type (the general
    loop decides those).
    """

    __slots__ = ("calls", "context", "global_gets", "global_sets", "indirect")

    def __init__(self, context: Any) -> None:
        self.context = context
        types = context.types.types
        count = len(types)
        signatures: dict[int, tuple[list[Any], tuple[Any, ...]] | None] = {}
        for index in set(context.functions):
            signatures[index] = _signature(types, index) \
                if isinstance(index, int) and 0 <= index < count else None
        self.calls = [signatures[index] for index in context.functions]
        tables = context.tables
        self.indirect: list[tuple[list[Any], tuple[Any, ...]] | None] = []
        if tables and tables[0].element == FUNCREF and tables[0].address_type is I32_TYPE:
            for index in range(count):
                entry = _signature(types, index)
                self.indirect.append(None if entry is None else
                                     ([*entry[0], I32_TYPE], entry[1]))
        self.global_gets = [
            g.value_type if _number(g.value_type) else None for g in context.globals]
        self.global_sets = [
            g.value_type if g.mutable and _number(g.value_type) else None
            for g in context.globals]


_last_tables: list[ModuleTables] = []


def module_tables(context: Any) -> ModuleTables:
    """Return the :class:`ModuleTables` of ``context`` (computed once per module: the
    tables of the last context asked for are kept)."""
    last = _last_tables[-1] if _last_tables else None
    if last is not None and last.context is context:
        return last
    tables = ModuleTables(context)
    _last_tables[:] = [tables]
    return tables


def u32_at(data: Sequence[int], pos: int) -> tuple[int, int]:
    """Return the u32 encoded in LEB128 at ``pos`` and the position after it, or
    ``(-1, pos)`` if it is malformed (the general loop then reads it and says how).

    Raises:
        IndexError: past the end of ``data``.
    """
    value = 0
    shift = 0
    while True:
        part = data[pos]
        pos += 1
        if shift == 28:
            return (-1, pos) if part >= 0x10 else (value | part << 28, pos)
        value |= (part & 0x7F) << shift
        if part < 0x80:
            return value, pos
        shift += 7


def call_indirect_at(data: Sequence[int], pos: int, vals: list[Any], height: int,
                     indirect: Sequence[tuple[list[Any], tuple[Any, ...]] | None]) -> int:
    """Settle a ``call_indirect`` whose immediates start at ``pos`` when it goes through
    table 0 with a type of ``indirect`` (:class:`ModuleTables`) and ``vals`` (the frame's
    values from ``height``) ends with its operands: pop them, push its results and return
    the position after it; else return 0, nothing changed.

    Raises:
        IndexError: past the end of ``data``.
    """
    index, after = u32_at(data, pos)
    if 0 <= index < len(indirect) and data[after] == 0:
        signature = indirect[index]
        if signature is not None:
            params = signature[0]
            count = len(params)
            if len(vals) - count >= height and vals[-count:] == params:
                del vals[-count:]
                vals.extend(signature[1])
                return after + 1
    return 0


def br_table_at(data: Sequence[int], pos: int, vals: list[Any], height: int,
                ctrls: Sequence[Any]) -> int:
    """Settle a ``br_table`` whose immediates start at ``pos`` when its index is an i32
    on top of ``vals`` (the frame's values from ``height``) and its depths (fewer than
    128) are of one byte, each reaching a label of ``ctrls`` without values: drop the
    frame's values and return the position after it (the caller marks the frame
    unreachable); else return 0, nothing changed.

    Raises:
        IndexError: past the end of ``data``.
    """
    count = data[pos]
    if count < 0x80 and len(vals) > height and vals[-1] is I32_TYPE:
        after = pos + count + 2
        depths = data[pos + 1:after]
        if len(depths) == count + 1 and max(depths) < min(len(ctrls), 0x80):
            for depth in set(depths):
                if ctrls[-1 - depth].labels:
                    return 0
            del vals[height:]
            return after
    return 0
