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
from ..syntax.types import F64 as F64_TYPE
from ..syntax.types import I32 as I32_TYPE
from ..syntax.types import I64 as I64_TYPE

__all__ = ["BLOCK_RESULTS", "Entry", "fast_tables"]

Entry = tuple[int, int, int, Any]
"""``(key, layout, action, signature)``: an opcode as the general loop sees it."""

# The fast paths, by kind.
(F_OTHER, F_LOCAL_GET, F_LOCAL_SET, F_LOCAL_TEE, F_BINARY, F_UNARY, F_CONST_INT,
 F_CONST_F32, F_CONST_F64, F_LOAD, F_STORE, F_BLOCK, F_END, F_BR_IF, F_BR) = range(15)


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
        elif key in (Op.BLOCK, Op.LOOP, Op.IF):
            kinds[byte] = F_BLOCK
        elif key == Op.BR_IF:
            kinds[byte] = F_BR_IF
        elif key == Op.BR:
            kinds[byte] = F_BR
    kinds[Op.END] = F_END
    return kinds, data


BLOCK_RESULTS: dict[int, tuple[Any, ...]] = {
    0x40: (), 0x7F: (I32_TYPE,), 0x7E: (I64_TYPE,), 0x7D: (F32_TYPE,), 0x7C: (F64_TYPE,)}
"""Block types of one byte the fast path settles: empty, or one number type."""
