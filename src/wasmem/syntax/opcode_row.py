"""The shape of a row of the opcode table (:mod:`wasmem.syntax.opcodes`).

The immediate kinds (:class:`Imm`), the instruction classes (:class:`OpClass`), the row
itself (:class:`OpInfo`) and how a table key splits into bytes. The rows are in
:mod:`wasmem.syntax.opcodes`, which re-exports these names.
"""

from __future__ import annotations

import enum

from .enums import EnumBase, FlagBase, enum_class
from .record import Record
from .types import ValType

__all__ = ["Imm", "OpClass", "OpInfo", "PREFIXES", "prefixed", "opcode_bytes", "NO_CLASS"]


@enum_class(enum.Enum)  # (.enums: a third of the cost of defining it)
class Imm(EnumBase):
    """Immediate kinds; the shape of each is documented in :mod:`wasmem.syntax.instructions`."""

    NONE = 1
    BLOCK = 2
    LABEL = 3
    BR_TABLE = 4
    FUNC = 5
    TYPE = 6
    CALL_INDIRECT = 7
    LOCAL = 8
    GLOBAL = 9
    TABLE = 10
    MEMORY = 11
    MEMARG = 12
    I32 = 13
    I64 = 14
    F32 = 15
    F64 = 16
    HEAP_TYPE = 17
    SELECT_T = 18
    DATA = 19
    DATA_MEMORY = 20
    MEMORY_MEMORY = 21
    ELEM = 22
    ELEM_TABLE = 23
    TABLE_TABLE = 24
    TAG = 25
    TRY_TABLE = 26
    V128 = 27
    LANE = 28
    SHUFFLE = 29
    MEMARG_LANE = 30
    # GC proposal
    TYPE_FIELD = 31  # (type_index, field_index)
    TYPE_TYPE = 32  # (type_index, type_index)
    TYPE_DATA = 33  # (type_index, data_index)
    TYPE_ELEM = 34  # (type_index, elem_index)
    TYPE_SIZE = 35  # (type_index, count)
    REF_TYPE = 36  # (RefType,) for ref.test / ref.cast
    BR_ON_CAST = 37  # (label, RefType, RefType)


@enum_class(enum.Flag)
class OpClass(FlagBase):
    """What the phases need to know about an instruction beyond its immediates and types.

    ``STRUCTURED``: opens a block with its own label (``block``, ``loop``, ``if``,
    ``try_table``; spec "Structured Control Instructions"). ``BRANCH``: transfers control
    to a label given as an immediate (``br``, ``br_if``, ``br_table``, ``br_on_*``).
    ``TERMINATOR``: control never falls through to the next instruction, so the rest of
    the block is unreachable and the operand stack is polymorphic (``unreachable``,
    unconditional branches, ``return``, ``throw``, tail calls). ``CALL``: invokes a
    function (tail calls are calls and terminators). ``CONSTANT``: allowed in constant
    expressions (spec "Constant Expressions", with extended constants; the GC ones are
    not supported).
    """

    STRUCTURED = 1
    BRANCH = 2
    TERMINATOR = 4
    CALL = 8
    CONSTANT = 16


NO_CLASS = OpClass(0)
"""The classes of an instruction that is none of them."""

PREFIXES = (0xFB, 0xFC, 0xFD, 0xFE)
"""Bytes that start a prefixed opcode (GC, misc, SIMD, threads)."""


def prefixed(prefix: int, sub: int) -> int:
    """Return the table key of a prefixed opcode."""
    return prefix << 16 | sub


def opcode_bytes(key: int) -> tuple[int, int | None]:
    """Split a key into ``(byte, sub)``; ``sub`` is None for single-byte opcodes."""
    if key > 0xFF:
        return key >> 16, key & 0xFFFF
    return key, None


class OpInfo(Record):
    """One row of the opcode table.

    Attributes:
        key: table key (see module docstring).
        name: text-format name.
        imm: immediate kind.
        params, results: the fixed operand types, or ``None`` when the type depends on
            immediates or context (control, variables, memory, references).
        memory_size: bytes accessed, for loads and stores (natural alignment is its log2).
        memory_type: the value type loaded or stored, for loads and stores.
        signed: sign-extending load.
        feature: ``"core"`` or the proposal that is not core yet in wasmem's support
            (``"simd"``, ``"gc"``, ``"threads"``).
        classes: the instruction's :class:`OpClass` flags.
    """

    __slots__ = ("key", "name", "imm", "params", "results", "memory_size", "memory_type",
                 "signed", "feature", "classes")
    _compared = _shown = __slots__
    key: int
    name: str
    imm: Imm
    params: tuple[ValType, ...] | None
    results: tuple[ValType, ...] | None
    memory_size: int
    memory_type: ValType | None
    signed: bool
    feature: str
    classes: OpClass

    def __init__(self, key: int, name: str, imm: Imm,
                 params: tuple[ValType, ...] | None = None,
                 results: tuple[ValType, ...] | None = None, memory_size: int = 0,
                 memory_type: ValType | None = None, signed: bool = False,
                 feature: str = "core", classes: OpClass = NO_CLASS) -> None:
        # (the slots' own setters: half the cost of ``object.__setattr__`` by name, for
        # the ~500 rows built at ``import wasmem``)
        _set_key(self, key)
        _set_name(self, name)
        _set_imm(self, imm)
        _set_params(self, params)
        _set_results(self, results)
        _set_memory_size(self, memory_size)
        _set_memory_type(self, memory_type)
        _set_signed(self, signed)
        _set_feature(self, feature)
        _set_classes(self, classes)

    @property
    def natural_alignment(self) -> int:
        """log2 of the access width, the largest alignment a memarg may declare."""
        return self.memory_size.bit_length() - 1


(_set_key, _set_name, _set_imm, _set_params, _set_results, _set_memory_size,
 _set_memory_type, _set_signed, _set_feature, _set_classes) = (
    OpInfo.__dict__[slot].__set__ for slot in OpInfo.__slots__)
