"""Whether a body still in its binary encoding has more instructions than a limit.

The translator asks for the size of a callee at a call site (is it small enough to
inline, to be looked at as quiet?); :meth:`.context.ModuleContext.function_size`
answers from the byte length when that rules the callee out, and otherwise counted the
instructions of the decoded body. Most callees asked about are past the limit all the
same (in a cold SQLite run, 55 of the 126 bodies decoded that way; 46 of them never
translated): decoding them whole, an object per instruction, cost ~12 ms there.
:func:`exceeds` counts from the bytes instead and stops at the ``limit + 1``-th
instruction, building nothing.

Only the immediates of the instruction set that compilers emit for linear-memory code
are stepped over here (indices, integer and float literals, memory arguments, block
types that are a value type, empty or a type index, ``br_table``, the ``0xFC``
prefix's bulk-memory and saturating instructions); anything else answers None, and
the caller decodes the body as before. The body was validated, so the bytes are
well-formed.
"""

from __future__ import annotations

from ...binary.layout import (
    BLOCK,
    BR_TABLE,
    DATA_INDEX,
    DATA_INDEX2,
    F32,
    F64,
    I32,
    I64,
    INDEX,
    INDEX2,
    MEMARG,
    NONE,
    PREFIXED,
    SINGLE,
)

__all__ = ["exceeds"]

_LEBS: dict[int, int] = {INDEX: 1, I32: 1, I64: 1, DATA_INDEX: 1, INDEX2: 2, DATA_INDEX2: 2}
"""Layouts made of LEB128 numbers only: how many."""
_BYTES: dict[int, int] = {F32: 4, F64: 8}
"""Layouts of a fixed number of bytes."""
_MISC = 0xFC
"""The prefix of bulk memory, saturating truncations and table instructions."""
_END = 0x0B
_ELSE = 0x05
_REF_NULL_TYPES = (0x63, 0x64)
"""Block value types that go on with a heap type (not stepped over here)."""


def exceeds(data: bytes, start: int, end: int, limit: int) -> bool | None:
    """Whether the body encoded in ``data[start:end]`` (its instructions up to and
    including the final ``end``) holds more than ``limit`` instructions, counted as
    :func:`.frames.count_instructions` counts them (a block is one, its nested
    instructions each one more; ``else`` and ``end`` none). None when an instruction
    is not one this scan steps over (the caller decodes the body then).

    Raises:
        IndexError: only for bytes that are not a valid body (never after validation).
    """
    single = SINGLE
    lebs = _LEBS
    count = 0
    pos = start
    while pos < end:
        byte = data[pos]
        pos += 1
        entry = single[byte]
        if entry is None:
            if byte == _END or byte == _ELSE:
                continue
            if byte != _MISC:
                return None
            sub = 0
            shift = 0
            while True:  # the sub-opcode, a u32
                part = data[pos]
                pos += 1
                sub |= (part & 0x7F) << shift
                shift += 7
                if part < 0x80:
                    break
            entry = PREFIXED[_MISC].get(sub)
            if entry is None:
                return None
        count += 1
        if count > limit:
            return True
        layout = entry[1]
        if layout == NONE:
            continue
        steps = lebs.get(layout)
        if steps is None:
            if layout == MEMARG:
                steps = 3 if data[pos] & 0x40 else 2  # flags, [memory], offset
            elif layout == BLOCK:
                kind = data[pos]
                if kind < 0x80:
                    if kind in _REF_NULL_TYPES:
                        return None
                    pos += 1
                    continue
                steps = 1  # a type index (s33)
            elif layout == BR_TABLE:
                targets = 0
                shift = 0
                while True:  # the target count, a u32
                    part = data[pos]
                    pos += 1
                    targets |= (part & 0x7F) << shift
                    shift += 7
                    if part < 0x80:
                        break
                steps = targets + 1
            else:
                size = _BYTES.get(layout)
                if size is None:
                    return None
                pos += size
                continue
        for _ in range(steps):
            while data[pos] >= 0x80:
                pos += 1
            pos += 1
    return False
