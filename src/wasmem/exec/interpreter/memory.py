"""Interpreter closures for memory and table instructions (see :mod:`.ops`).

Every access goes through the instance's :class:`~wasmem.memory.linear.LinearMemory`:
loads and stores read its current buffer and check the whole access against its size
before touching a byte (raising :class:`~wasmem.memory.linear.OutOfBounds`, the spec's
"out of bounds memory access"); bulk instructions call its ``fill``/``copy``/``init``.
Effective addresses are computed without wrapping (spec "Memory Instructions"), so an
address plus offset beyond the memory traps, for 32- and 64-bit memories alike.
"""

from __future__ import annotations

import struct
from typing import Any

from ...memory.access import MEMORY_ACCESSES, load_expression, store_statement
from ...memory.linear import OutOfBounds
from ...syntax.opcodes import BY_NAME
from ...syntax.types import NumType
from .. import support
from .inline import LazyTable, factory, generate
from .ops import Closure, Factory, LinkContext

__all__ = [
    "ADDRESSED",
    "ADDRESSED_FORMS",
    "address_reader",
    "LOADS",
    "STORES",
    "STORES_CONST",
    "SIMD_MEMORY",
    "op_memory_size",
    "op_memory_grow",
    "op_memory_fill",
    "op_memory_copy",
    "op_memory_init",
    "op_data_drop",
    "op_table_get",
    "op_table_set",
    "op_table_size",
    "op_table_grow",
    "op_table_fill",
    "op_table_copy",
    "op_table_init",
    "op_elem_drop",
]

_M64 = 0xFFFFFFFFFFFFFFFF

_LOAD_EXPRESSIONS = {name: load_expression(name, "data", "ea")
                     for name, access in MEMORY_ACCESSES.items() if access.load}
_STORE_STATEMENTS = {name: store_statement(name, "data", "ea", "{v}")
                     for name, access in MEMORY_ACCESSES.items() if not access.load}


_ADDRESS_FORMS = {
    # form -> (extra factory parameter, line computing ``ea`` in the closure)
    "": ("", "        ea = R[address] + offset"),
    # a constant address (``i32.const``): ``at`` is computed once, by the factory
    "k": ("", "        ea = at"),
    # the address computed by ``i32.add`` of a register and a constant, or of two
    # registers, fused into the access (one closure fewer; the add still wraps)
    "ac": (", addend", "        ea = ((R[address] + addend) & 0xFFFFFFFF) + offset"),
    "ar": (", addend", "        ea = ((R[address] + R[addend]) & 0xFFFFFFFF) + offset"),
}
"""How an access's effective address is computed, by form (see :data:`ADDRESSED`)."""


def _build_accesses() -> tuple[dict[str, Factory], dict[str, Factory], dict[str, Factory],
                               dict[tuple[str, str, str], Factory]]:
    """Generate load factories ``(ctx, nxt, dest, memory, address, offset)`` and store
    factories ``(ctx, nxt, dest, memory, address, offset, value)`` (value: a register, or
    a constant for the ``STORES_CONST`` forms), and their forms of :data:`ADDRESSED`
    (with an ``addend`` parameter last for the fused forms)."""
    accesses: list[tuple[str, str, list[str], str, str, int]] = []
    loads: dict[str, str] = {}
    stores: dict[str, str] = {}
    stores_const: dict[str, str] = {}
    addressed: dict[tuple[str, str, str], str] = {}
    # The access itself checks the bounds (a struct or index error, before any byte is
    # written); only then is the access re-checked, to raise the trap, or the error
    # itself when the access was in bounds (a bug, not a trap). Addresses are unsigned.
    head = ["        data = mem.data",
            "        try:"]
    tail = ["        except ACCESS_ERRORS:",
            "            if ea > len(data) - {size}:",
            "                raise OutOfBounds(ea, {size}, len(data)) from None",
            "            raise"]

    def access(fname: str, params: str, prologue: list[str], address: str, body: str,
               size: int) -> None:
        accesses.append((fname, params, prologue, address, body, size))

    def source() -> str:  # (written only if the committed module is missing)
        lines: list[str] = []
        for fname, params, prologue, address, body, size in accesses:
            lines.extend([f"def {fname}(ctx, nxt, dest, memory, address, offset{params}):",
                          "    mem = ctx.memories[memory]", *prologue, "    def op(R):",
                          address, *head, f"            {body}",
                          *[line.format(size=size) for line in tail],
                          "        return nxt", "    return op"])
        return "\n".join(lines) + "\n"

    for form, (extra, address) in _ADDRESS_FORMS.items():
        prologue = ["    at = address + offset"] if form == "k" else []
        suffix = f"_{form}" if form else ""
        for k, (name, expr) in enumerate(_LOAD_EXPRESSIONS.items()):
            fname = f"load{k}{suffix}"
            (addressed.__setitem__((name, "", form), fname) if form
             else loads.__setitem__(name, fname))
            access(fname, extra, prologue, address, f"R[dest] = {expr}",
                   BY_NAME[name].memory_size)
        for k, (name, statement) in enumerate(_STORE_STATEMENTS.items()):
            for kind, table, value in (("r", stores, "R[value]"), ("c", stores_const, "value")):
                fname = f"store{k}_{kind}{suffix}"
                (addressed.__setitem__((name, kind, form), fname) if form
                 else table.__setitem__(name, fname))
                access(fname, f", value{extra}", prologue, address,
                       statement.format(v=value), BY_NAME[name].memory_size)
    namespace = generate(source, {
        **support.STRUCTS, "OutOfBounds": OutOfBounds,
        "ACCESS_ERRORS": support.MEMORY_ACCESS_ERRORS}, "loads and stores")

    def folded(key: tuple[str, str, str]) -> Factory:
        made: Factory = factory(namespace, addressed[key])
        ADDRESSED_FORMS.setdefault(made, key[1:])
        return made
    return (LazyTable(loads, lambda name: factory(namespace, loads[name])),
            LazyTable(stores, lambda name: factory(namespace, stores[name])),
            LazyTable(stores_const, lambda name: factory(namespace, stores_const[name])),
            LazyTable(addressed, folded))


ADDRESSED_FORMS: dict[Factory, tuple[str, str]] = {}
"""Factory of :data:`ADDRESSED` -> ``(kind, form)``: kind "" (a load), "r" or "c" (a
store of a register or of a constant); filled as :data:`ADDRESSED`'s factories are
looked up (a factory not looked up yet is in no closure)."""

LOADS, STORES, STORES_CONST, ADDRESSED = _build_accesses()
"""Factories of the scalar loads and stores, by text name."""

# ADDRESSED: ``(name, "" for a load else "r"/"c" for the value, form)`` -> factory, for
# the forms "k" (constant address), "ac" and "ar" (fused ``i32.add``) of _ADDRESS_FORMS


def address_reader(form: str, args: tuple[Any, ...]) -> Any:
    """A function of the register file returning the effective address of an access of
    ``form`` ("" for :data:`LOADS`/:data:`STORES`/:data:`STORES_CONST`, else that of
    :data:`ADDRESSED_FORMS`) made with the factory arguments ``args`` (after ``dest``:
    memory, address, offset[, value][, addend]); raises nothing (a reader may be called
    before the access, whose register it may overwrite)."""
    address, offset, addend = args[1], args[2], args[-1]
    if form == "k":
        return lambda R: address + offset
    if form == "ac":
        return lambda R: ((R[address] + addend) & 0xFFFFFFFF) + offset
    if form == "ar":
        return lambda R: ((R[address] + R[addend]) & 0xFFFFFFFF) + offset
    return lambda R: R[address] + offset


# ---------------------------------------------------------------- SIMD loads and stores

_EXTEND = {  # name -> (struct format of the 8 bytes read, lane width of the result)
    "v128.load8x8_s": ("<8b", 16), "v128.load8x8_u": ("<8B", 16),
    "v128.load16x4_s": ("<4h", 32), "v128.load16x4_u": ("<4H", 32),
    "v128.load32x2_s": ("<2i", 64), "v128.load32x2_u": ("<2I", 64),
}


v128_from_lanes: Any = None
""":func:`wasmem.exec.numeric.simd.v128_from_lanes`, imported when a SIMD load is first
linked (:func:`_import_simd`; the SIMD modules take a millisecond to import)."""


def _import_simd() -> None:
    global v128_from_lanes
    if v128_from_lanes is None:
        from ..numeric.simd import v128_from_lanes as imported
        v128_from_lanes = imported


def _simd_load(name: str) -> Factory:
    size = BY_NAME[name].memory_size
    if name in _EXTEND:
        fmt, width = _EXTEND[name]
        unpack = struct.Struct(fmt).unpack_from

        def convert(data: Any, ea: int) -> int:
            return v128_from_lanes(unpack(data, ea), width)
    elif name.endswith("_splat"):
        count = 16 // size

        def convert(data: Any, ea: int) -> int:
            lane = int.from_bytes(data[ea:ea + size], "little")
            return v128_from_lanes((lane,) * count, size * 8)
    else:  # v128.load, v128.load32_zero, v128.load64_zero
        def convert(data: Any, ea: int) -> int:
            return int.from_bytes(data[ea:ea + size], "little")

    def factory(ctx: LinkContext, nxt: int, dest: int, memory: int, address: int,
                offset: int) -> Closure:
        mem = ctx.memories[memory]
        _import_simd()

        def op(R: list[Any]) -> int:
            ea = R[address] + offset
            data = mem.data
            if ea > len(data) - size:
                raise OutOfBounds(ea, size, len(data))
            R[dest] = convert(data, ea)
            return nxt
        return op
    return factory


def _v128_store(ctx: LinkContext, nxt: int, dest: int, memory: int, address: int, offset: int,
                value: int) -> Closure:
    mem = ctx.memories[memory]

    def op(R: list[Any]) -> int:
        ea = R[address] + offset
        mem.write(ea, R[value].to_bytes(16, "little"))
        return nxt
    return op


def _lane_access(name: str) -> Factory:
    """``v128.loadN_lane`` / ``v128.storeN_lane``: ``(memory, address, offset, vector, lane)``."""
    size = BY_NAME[name].memory_size
    bits = size * 8
    lane_mask = (1 << bits) - 1
    store = "store" in name

    def factory(ctx: LinkContext, nxt: int, dest: int, memory: int, address: int, offset: int,
                vector: int, lane: int) -> Closure:
        mem = ctx.memories[memory]
        shift = lane * bits
        keep = ~(lane_mask << shift) & ((1 << 128) - 1)
        if store:
            def store_op(R: list[Any]) -> int:
                part = (R[vector] >> shift) & lane_mask
                mem.write(R[address] + offset, part.to_bytes(size, "little"))
                return nxt
            return store_op

        def load_op(R: list[Any]) -> int:
            part = int.from_bytes(mem.read(R[address] + offset, size), "little")
            R[dest] = (R[vector] & keep) | (part << shift)
            return nxt
        return load_op
    return factory


def _build_simd_memory() -> dict[str, Factory]:
    table: dict[str, Factory] = {"v128.store": _v128_store}
    for name in ("v128.load", "v128.load32_zero", "v128.load64_zero", *_EXTEND,
                 "v128.load8_splat", "v128.load16_splat", "v128.load32_splat",
                 "v128.load64_splat"):
        table[name] = _simd_load(name)
    for width in (8, 16, 32, 64):
        for kind in ("load", "store"):
            name = f"v128.{kind}{width}_lane"
            table[name] = _lane_access(name)
    return table


SIMD_MEMORY: dict[str, Factory] = _build_simd_memory()
"""Factories of the SIMD loads and stores, by text name. Plain and converting loads and
``v128.store`` take ``(memory, address, offset[, value])``; lane forms add
``(vector, lane)``."""


# ---------------------------------------------------------------- memory instructions

def op_memory_size(ctx: LinkContext, nxt: int, dest: int, memory: int) -> Closure:
    """``memory.size``: the size in pages."""
    mem = ctx.memories[memory]

    def op(R: list[Any]) -> int:
        R[dest] = mem.pages
        return nxt
    return op


def op_memory_grow(ctx: LinkContext, nxt: int, dest: int, memory: int, delta: int) -> Closure:
    """``memory.grow``: the old size in pages, or -1 (as an unsigned address value)."""
    mem = ctx.memories[memory]
    mask = _M64 if mem.is64 else 0xFFFFFFFF

    def op(R: list[Any]) -> int:
        R[dest] = mem.grow(R[delta]) & mask
        return nxt
    return op


def op_memory_fill(ctx: LinkContext, nxt: int, dest: int, memory: int, address: int,
                   value: int, length: int) -> Closure:
    """``memory.fill``."""
    mem = ctx.memories[memory]

    def op(R: list[Any]) -> int:
        mem.fill(R[address], R[value], R[length])
        return nxt
    return op


def op_memory_copy(ctx: LinkContext, nxt: int, dest: int, destination_memory: int,
                   source_memory: int, destination: int, source: int, length: int) -> Closure:
    """``memory.copy`` (between two memories with multi-memory)."""
    mem = ctx.memories[destination_memory]
    other = None if source_memory == destination_memory else ctx.memories[source_memory]

    def op(R: list[Any]) -> int:
        mem.copy(R[destination], R[source], R[length], other)
        return nxt
    return op


def op_memory_init(ctx: LinkContext, nxt: int, dest: int, data_index: int, memory: int,
                   destination: int, source: int, length: int) -> Closure:
    """``memory.init`` from the data segment as it is now (empty once dropped)."""
    mem = ctx.memories[memory]
    datas = ctx.datas

    def op(R: list[Any]) -> int:
        mem.init(R[destination], datas[data_index], R[source], R[length])
        return nxt
    return op


def op_data_drop(ctx: LinkContext, nxt: int, dest: int, data_index: int) -> Closure:
    """``data.drop``."""
    datas = ctx.datas

    def op(R: list[Any]) -> int:
        datas[data_index] = b""
        return nxt
    return op


# ---------------------------------------------------------------- table instructions

def op_table_get(ctx: LinkContext, nxt: int, dest: int, table: int, index: int) -> Closure:
    """``table.get``."""
    get = ctx.tables[table].get

    def op(R: list[Any]) -> int:
        R[dest] = get(R[index])
        return nxt
    return op


def op_table_set(ctx: LinkContext, nxt: int, dest: int, table: int, index: int,
                 value: int) -> Closure:
    """``table.set``."""
    put = ctx.tables[table].set

    def op(R: list[Any]) -> int:
        put(R[index], R[value])
        return nxt
    return op


def op_table_size(ctx: LinkContext, nxt: int, dest: int, table: int) -> Closure:
    """``table.size``."""
    elements = ctx.tables[table].elements

    def op(R: list[Any]) -> int:
        R[dest] = len(elements)
        return nxt
    return op


def op_table_grow(ctx: LinkContext, nxt: int, dest: int, table: int, init: int,
                  delta: int) -> Closure:
    """``table.grow``: the old size, or -1 (as an unsigned index value)."""
    instance_table = ctx.tables[table]
    mask = _M64 if instance_table.type.address_type is NumType.I64 else 0xFFFFFFFF

    def op(R: list[Any]) -> int:
        R[dest] = instance_table.grow(R[delta], R[init]) & mask
        return nxt
    return op


def op_table_fill(ctx: LinkContext, nxt: int, dest: int, table: int, index: int, value: int,
                  length: int) -> Closure:
    """``table.fill``."""
    instance_table = ctx.tables[table]
    fill = support.table_fill

    def op(R: list[Any]) -> int:
        fill(instance_table, R[index], R[value], R[length])
        return nxt
    return op


def op_table_copy(ctx: LinkContext, nxt: int, dest: int, destination_table: int,
                  source_table: int, destination: int, source: int, length: int) -> Closure:
    """``table.copy``."""
    target = ctx.tables[destination_table]
    origin = ctx.tables[source_table]
    copy = support.table_copy

    def op(R: list[Any]) -> int:
        copy(target, origin, R[destination], R[source], R[length])
        return nxt
    return op


def op_table_init(ctx: LinkContext, nxt: int, dest: int, element_index: int, table: int,
                  destination: int, source: int, length: int) -> Closure:
    """``table.init`` from the element segment as it is now (empty once dropped)."""
    instance_table = ctx.tables[table]
    elements = ctx.elements
    init = support.table_init

    def op(R: list[Any]) -> int:
        init(instance_table, elements[element_index], R[destination], R[source], R[length])
        return nxt
    return op


def op_elem_drop(ctx: LinkContext, nxt: int, dest: int, element_index: int) -> Closure:
    """``elem.drop``."""
    elements = ctx.elements

    def op(R: list[Any]) -> int:
        elements[element_index] = []
        return nxt
    return op
