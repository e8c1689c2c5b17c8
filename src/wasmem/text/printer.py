"""The text printer: abstract syntax back to WebAssembly text (like WABT's wasm2wat).

Output is flat instructions, one per line, indented by block depth (up to
:data:`MAX_INDENT` levels); indices are numeric
(with ``(;N;)`` comments on definitions and debug names as ``$id`` where they are
valid identifiers), so the printed text parses back to an equal module.
"""

from __future__ import annotations

import re
import struct
from typing import Any

from ..syntax.instructions import Block, Instruction
from ..syntax.module import (
    ActiveData,
    ActiveElement,
    DataSegment,
    DeclarativeElement,
    ElementSegment,
    Import,
    Module,
)
from ..syntax.opcodes import OPCODES, Imm
from ..syntax.types import (
    ExternKind,
    FuncType,
    GlobalType,
    I64,
    MemoryType,
    TableType,
)

__all__ = ["print_module", "format_instruction", "format_f32", "format_f64"]

_ID = re.compile(r"[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+")


def print_module(module: Module) -> str:
    """Return the text of ``module``; parsing it gives back an equal module."""
    out: list[str] = ["(module" + _id(module.names.module)]
    for index, function_type in enumerate(module.types):
        out.append(f"  (type (;{index};) (func{_signature(function_type)}))")
    counters = dict.fromkeys(ExternKind, 0)
    for imported in module.imports:
        out.append(_import(module, imported, counters[imported.kind]))
        counters[imported.kind] += 1
    for offset, function in enumerate(module.functions):
        index = counters[ExternKind.FUNC] + offset
        function_type = module.types[function.type_index]
        head = (f"  (func{_id(module.names.functions.get(index))} (;{index};) "
                f"(type {function.type_index}){_signature(function_type)}")
        if function.locals:
            head += " (local " + " ".join(map(str, function.locals)) + ")"
        out.append(head)
        _body(function.body, 2, out)
        out[-1] += ")"
    for offset, table in enumerate(module.tables):
        index = counters[ExternKind.TABLE] + offset
        line = f"  (table (;{index};) {_table_type(table.type)}"
        if table.init:
            line += " " + _inline(table.init)
        out.append(line + ")")
    for offset, memory in enumerate(module.memories):
        out.append(f"  (memory (;{counters[ExternKind.MEMORY] + offset};) "
                   f"{_memory_type(memory.type)})")
    for offset, global_ in enumerate(module.globals):
        out.append(f"  (global (;{counters[ExternKind.GLOBAL] + offset};) "
                   f"{_global_type(global_.type)} {_inline(global_.init)})")
    for offset, tag in enumerate(module.tags):
        out.append(f"  (tag (;{counters[ExternKind.TAG] + offset};) (type {tag.type_index}))")
    for export in module.exports:
        out.append(f"  (export {_string(export.name.encode())} ({export.kind} {export.index}))")
    if module.start is not None:
        out.append(f"  (start {module.start})")
    for index, segment in enumerate(module.elements):
        out.append(_element(index, segment))
    for index, data in enumerate(module.datas):
        out.append(_data(index, data))
    out[-1] += ")"
    return "\n".join(out) + "\n"


def _id(name: str | None) -> str:
    return f" ${name}" if name and _ID.fullmatch(name) else ""


def _signature(function_type: FuncType) -> str:
    text = ""
    if function_type.params:
        text += " (param " + " ".join(map(str, function_type.params)) + ")"
    if function_type.results:
        text += " (result " + " ".join(map(str, function_type.results)) + ")"
    return text


def _limits(minimum: int, maximum: int | None) -> str:
    return f"{minimum}" if maximum is None else f"{minimum} {maximum}"


def _table_type(table_type: TableType) -> str:
    address = "i64 " if table_type.address_type is I64 else ""
    limits = table_type.limits
    return f"{address}{_limits(limits.min, limits.max)} {table_type.element}"


def _memory_type(memory_type: MemoryType) -> str:
    text = ("i64 " if memory_type.is64 else "") + _limits(memory_type.limits.min,
                                                          memory_type.limits.max)
    if memory_type.shared:
        text += " shared"
    if memory_type.page_size_log2 != 16:
        text += f" (pagesize {1 << memory_type.page_size_log2})"
    return text


def _global_type(global_type: GlobalType) -> str:
    return f"(mut {global_type.value_type})" if global_type.mutable \
        else str(global_type.value_type)


def _import(module: Module, imported: Import, index: int) -> str:
    desc = imported.desc
    kind = imported.kind
    if kind is ExternKind.FUNC or kind is ExternKind.TAG:
        inner = f"(type {desc}){_signature(module.types[desc])}" \
            if isinstance(desc, int) and desc < len(module.types) else f"(type {desc})"
    elif kind is ExternKind.TABLE:
        inner = _table_type(desc)  # type: ignore[arg-type]
    elif kind is ExternKind.MEMORY:
        inner = _memory_type(desc)  # type: ignore[arg-type]
    else:
        inner = _global_type(desc)  # type: ignore[arg-type]
    return (f"  (import {_string(imported.module.encode())} {_string(imported.name.encode())} "
            f"({kind} (;{index};) {inner}))")


def _element(index: int, segment: ElementSegment) -> str:
    mode = segment.mode
    text = f"  (elem (;{index};)"
    if isinstance(mode, ActiveElement):
        text += f" (table {mode.table_index}) (offset {_flat(mode.offset)})"
    elif isinstance(mode, DeclarativeElement):
        text += " declare"
    text += f" {segment.type}"
    for init in segment.init:
        text += f" (item {_flat(init)})"
    return text + ")"


def _data(index: int, data: DataSegment) -> str:
    mode = data.mode
    text = f"  (data (;{index};)"
    if isinstance(mode, ActiveData):
        text += f" (memory {mode.memory_index}) (offset {_flat(mode.offset)})"
    return text + f" {_string(data.data)})"


def _string(data: bytes) -> str:
    out = []
    for byte in data:
        if 0x20 <= byte < 0x7F and byte not in (0x22, 0x5C):
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:02x}")
    return '"' + "".join(out) + '"'


def _flat(expr: tuple[Instruction, ...]) -> str:
    lines: list[str] = []
    _body(expr, 0, lines)
    return " ".join(line.strip() for line in lines)


def _inline(expr: tuple[Instruction, ...]) -> str:
    """A constant expression as a row of single folded instructions."""
    return " ".join(f"({format_instruction(ins)})" for ins in expr)


def _body(body: tuple[Instruction, ...], depth: int, out: list[str]) -> None:
    stack: list[tuple[tuple[Instruction, ...], int, int]] = [(body, 0, depth)]
    while stack:
        sequence, position, level = stack.pop()
        if position >= len(sequence):
            continue
        ins = sequence[position]
        stack.append((sequence, position + 1, level))
        indent = "  " * min(level, MAX_INDENT)
        out.append(indent + format_instruction(ins))
        if isinstance(ins, Block):
            # end, else-branch, then-branch: pushed in reverse order of printing
            stack.append(((_END,), 0, level))
            if ins.else_body:
                stack.append((ins.else_body, 0, level + 1))
                stack.append(((_ELSE,), 0, level))
            stack.append((ins.body, 0, level + 1))


MAX_INDENT = 64
"""Block depth beyond which lines are indented no further (so the printed text of a
deeply nested body stays linear in its size)."""

_END = Instruction(-1)
_ELSE = Instruction(-2)


def format_instruction(ins: Instruction) -> str:
    """Return one instruction as flat text (blocks without their bodies)."""
    if ins.opcode == -1:
        return "end"
    if ins.opcode == -2:
        return "else"
    info = OPCODES[ins.opcode]
    name = "select" if info.name == "select_t" else info.name
    parts = [name, *_immediates(info.imm, ins.immediates, info.natural_alignment)]
    return " ".join(parts)


def _block_type(block_type: Any) -> list[str]:
    if block_type is None:
        return []
    if isinstance(block_type, int):
        return [f"(type {block_type})"]
    return [f"(result {block_type})"]


def _immediates(kind: Imm, imm: tuple[Any, ...], natural: int) -> list[str]:
    if kind is Imm.NONE:
        return []
    if kind is Imm.BLOCK:
        return _block_type(imm[0])
    if kind is Imm.TRY_TABLE:
        catches = []
        for catch in imm[1]:
            word = ("catch", "catch_ref", "catch_all", "catch_all_ref")[catch.kind]
            tag = f" {catch.tag}" if catch.tag is not None else ""
            catches.append(f"({word}{tag} {catch.label})")
        return _block_type(imm[0]) + catches
    if kind is Imm.BR_TABLE:
        return [str(label) for label in imm[0]] + [str(imm[1])]
    if kind in (Imm.MEMARG, Imm.MEMARG_LANE):
        align, offset, memory = imm[:3]
        parts = [str(memory)] if memory or kind is Imm.MEMARG_LANE else []
        if offset:
            parts.append(f"offset={offset}")
        if align != natural:
            parts.append(f"align={1 << align}")
        if kind is Imm.MEMARG_LANE:
            parts.append(str(imm[3]))
        return parts
    if kind is Imm.CALL_INDIRECT:
        return [str(imm[1]), f"(type {imm[0]})"]
    if kind is Imm.I32:
        return [str(imm[0] - (1 << 32) if imm[0] >> 31 else imm[0])]
    if kind is Imm.I64:
        return [str(imm[0] - (1 << 64) if imm[0] >> 63 else imm[0])]
    if kind is Imm.F32:
        return [format_f32(imm[0])]
    if kind is Imm.F64:
        return [format_f64(imm[0])]
    if kind is Imm.HEAP_TYPE:
        return [str(imm[0])]
    if kind is Imm.SELECT_T:
        return [f"(result {' '.join(map(str, imm[0]))})"]
    if kind in (Imm.DATA_MEMORY, Imm.ELEM_TABLE):
        return [str(imm[1]), str(imm[0])]
    if kind is Imm.V128:
        bits = imm[0]
        return ["i32x4"] + [f"0x{(bits >> (32 * lane)) & 0xFFFFFFFF:08x}" for lane in range(4)]
    if kind is Imm.SHUFFLE:
        return [str(lane) for lane in imm[0]]
    if kind is Imm.REF_TYPE or kind is Imm.BR_ON_CAST:
        return [str(part) for part in imm]
    return [str(part) for part in imm]


def _float(bits: int, width: int, mantissa_bits: int) -> str:
    sign = "-" if bits >> (width - 1) else ""
    exponent_mask = ((1 << (width - 1 - mantissa_bits)) - 1) << mantissa_bits
    mantissa = bits & ((1 << mantissa_bits) - 1)
    if bits & exponent_mask == exponent_mask:
        return f"{sign}inf" if mantissa == 0 else f"{sign}nan:0x{mantissa:x}"
    if width == 32:
        value = struct.unpack("<f", struct.pack("<I", bits))[0]
    else:
        value = struct.unpack("<d", struct.pack("<Q", bits))[0]
    return value.hex()  # exact; carries the sign, -0.0 included


def format_f32(bits: int) -> str:
    """Return an f32 bit pattern as an exact text literal (hex float, inf, nan:0x...)."""
    return _float(bits, 32, 23)


def format_f64(bits: int) -> str:
    """Return an f64 bit pattern as an exact text literal (hex float, inf, nan:0x...)."""
    return _float(bits, 64, 52)
