"""Immediate layouts: how the immediates of each opcode are laid out in the binary format.

Several :class:`~wasmem.syntax.opcodes.Imm` kinds share one byte layout (every single
index is a u32, ...). The decoder and the encoder both dispatch on these small ints,
derived here from the one opcode table.
"""

from __future__ import annotations

from ..syntax.opcodes import OPCODES, PREFIXES, Imm, opcode_bytes

__all__ = [
    "BLOCK",
    "BR_ON_CAST",
    "BR_TABLE",
    "DATA_INDEX",
    "DATA_INDEX2",
    "F32",
    "F64",
    "HEAP_TYPE",
    "I32",
    "I64",
    "INDEX",
    "INDEX2",
    "LANE",
    "LAYOUT",
    "LAYOUT_BY_KEY",
    "MEMARG",
    "MEMARG_LANE",
    "NONE",
    "PREFIXED",
    "REF_TYPE",
    "REF_TYPE_NULL",
    "SELECT_T",
    "SHUFFLE",
    "SINGLE",
    "TRY_TABLE",
    "V128",
    "build_tables",
]

# Layouts (many Imm kinds share one).
NONE = 0
INDEX = 1  # one u32
INDEX2 = 2  # two u32
I32 = 3
I64 = 4
F32 = 5
F64 = 6
MEMARG = 7
BLOCK = 8
BR_TABLE = 9
DATA_INDEX = 10  # one u32, a data index
DATA_INDEX2 = 11  # two u32, the first a data index (memory.init, array.new_data, ...)
HEAP_TYPE = 12
SELECT_T = 13
TRY_TABLE = 14
V128 = 15
LANE = 16
SHUFFLE = 17
MEMARG_LANE = 18
REF_TYPE = 19
REF_TYPE_NULL = 20
BR_ON_CAST = 21

LAYOUT: dict[Imm, int] = {
    Imm.NONE: NONE,
    Imm.BLOCK: BLOCK,
    Imm.LABEL: INDEX,
    Imm.BR_TABLE: BR_TABLE,
    Imm.FUNC: INDEX,
    Imm.TYPE: INDEX,
    Imm.CALL_INDIRECT: INDEX2,
    Imm.LOCAL: INDEX,
    Imm.GLOBAL: INDEX,
    Imm.TABLE: INDEX,
    Imm.MEMORY: INDEX,
    Imm.MEMARG: MEMARG,
    Imm.I32: I32,
    Imm.I64: I64,
    Imm.F32: F32,
    Imm.F64: F64,
    Imm.HEAP_TYPE: HEAP_TYPE,
    Imm.SELECT_T: SELECT_T,
    Imm.DATA: DATA_INDEX,
    Imm.DATA_MEMORY: DATA_INDEX2,
    Imm.MEMORY_MEMORY: INDEX2,
    Imm.ELEM: INDEX,
    Imm.ELEM_TABLE: INDEX2,
    Imm.TABLE_TABLE: INDEX2,
    Imm.TAG: INDEX,
    Imm.TRY_TABLE: TRY_TABLE,
    Imm.V128: V128,
    Imm.LANE: LANE,
    Imm.SHUFFLE: SHUFFLE,
    Imm.MEMARG_LANE: MEMARG_LANE,
    Imm.TYPE_FIELD: INDEX2,
    Imm.TYPE_TYPE: INDEX2,
    Imm.TYPE_DATA: DATA_INDEX2,
    Imm.TYPE_ELEM: INDEX2,
    Imm.TYPE_SIZE: INDEX2,
    Imm.REF_TYPE: REF_TYPE,
    Imm.BR_ON_CAST: BR_ON_CAST,
}


def build_tables() -> tuple[list[tuple[int, int] | None], dict[int, dict[int, tuple[int, int]]]]:
    """Return the dispatch tables ``(single, prefixed)`` derived from the opcode table."""
    single: list[tuple[int, int] | None] = [None] * 256
    prefixed: dict[int, dict[int, tuple[int, int]]] = {prefix: {} for prefix in PREFIXES}
    for key, info in OPCODES.items():
        layout = LAYOUT[info.imm]
        if layout == REF_TYPE and info.name.endswith("_null"):
            layout = REF_TYPE_NULL
        byte, sub = opcode_bytes(key)
        if sub is None:
            single[byte] = (key, layout)
        else:
            prefixed[byte][sub] = (key, layout)
    return single, prefixed


SINGLE, PREFIXED = build_tables()
"""Dispatch tables: ``SINGLE[byte]`` and ``PREFIXED[prefix][sub]`` give ``(key, layout)``."""

LAYOUT_BY_KEY: dict[int, int] = dict(
    [entry for entry in SINGLE if entry is not None]
    + [entry for table in PREFIXED.values() for entry in table.values()]
)
"""The layout of every opcode key."""
