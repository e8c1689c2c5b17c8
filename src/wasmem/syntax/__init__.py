"""Abstract syntax (spec "Structure"): types, instructions, modules, and the opcode table.

Pure data: frozen dataclasses, no I/O. Every other package builds on these.
"""

from .instructions import Block, BlockType, Catch, Expr, Instruction, Position
from .module import (
    ActiveData,
    ActiveElement,
    CustomSection,
    DataSegment,
    DeclarativeElement,
    ElementSegment,
    Export,
    Function,
    Global,
    Import,
    Memory,
    Module,
    Names,
    PassiveData,
    PassiveElement,
    Table,
    Tag,
)
from .opcodes import BY_NAME, OPCODES, Imm, Op, OpInfo
from .types import (
    EXNREF,
    EXTERNREF,
    F32,
    F64,
    FUNCREF,
    I32,
    I64,
    V128,
    AbsHeapType,
    ExternKind,
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
    "ActiveData", "ActiveElement", "CustomSection", "DataSegment", "DeclarativeElement",
    "ElementSegment", "Export", "Function", "Global", "Import", "Memory", "Module", "Names",
    "PassiveData", "PassiveElement", "Table", "Tag", "Block", "BlockType", "Catch", "Expr",
    "Instruction", "Position", "BY_NAME", "OPCODES", "Imm", "Op", "OpInfo", "EXNREF",
    "EXTERNREF", "F32", "F64", "FUNCREF", "I32", "I64", "V128", "AbsHeapType", "ExternKind",
    "FuncType", "GlobalType", "HeapType", "Limits", "MemoryType", "NumType", "RefType",
    "TableType", "ValType", "VecType",
]
