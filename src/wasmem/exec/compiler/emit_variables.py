"""Emitters of parametric, variable, table and reference instructions.

``local.get`` pushes the local's variable with what is known of its range; ``local.set``
materialises the stack entries that read the old value first (see :mod:`.stack`).
Globals are namespace variables ``G<i>`` unless shared (``GI<i>.value``, see
:class:`.context.GlobalAccess`). Each function takes the
:class:`~.codegen.FunctionCompiler` as its first argument ``c``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...syntax.instructions import Instruction
from ...syntax.opcodes import BY_NAME
from .alignment import ENTRY_ALIGN, STACK_RANGE
from .slots import forget_local, loaded_into
from .view_records import forget_views
from .stack import Entry, int_constant, refs_of

if TYPE_CHECKING:
    from .codegen import FunctionCompiler

__all__ = ["HANDLERS"]

Handler = Callable[["FunctionCompiler", Instruction], None]


def op_drop(c: FunctionCompiler, ins: Instruction) -> None:
    entry = c.stack.pop()
    if entry.impure:
        c.stack.flush_impure()  # earlier pending traps come first
        c.emit(entry.expr)


def op_select(c: FunctionCompiler, ins: Instruction) -> None:
    top = len(c.stack)
    if any(e.impure for e in c.stack.items[top - 3:]):
        c.stack.flush_impure()  # bottom first: the first trap in execution order
        for position in range(top - 3, top):
            c.stack.materialize(position)
    first, second, cond = c.stack.pop_n(3)
    lo = hi = None
    if None not in (first.lo, first.hi, second.lo, second.hi):
        lo, hi = min(first.lo, second.lo), max(first.hi, second.hi)  # type: ignore[type-var]
    c.stack.push(Entry(f"({first.expr} if {cond.expr} else {second.expr})",
                       refs_of(first, second, cond), False, None,
                       first.boolean and second.boolean,
                       1 + max(first.depth, second.depth, cond.depth), lo, hi))


def op_local_get(c: FunctionCompiler, ins: Instruction) -> None:
    # c.local_entry, inline (the commonest instruction); never too deep to push
    index = ins.immediates[0]
    if index in c.const_locals and not c.inline_frames:  # (see .constants)
        c.stack.items.append(int_constant(c.const_locals[index]))
        return
    named = c.local_refs.get(index)
    if named is None:
        name = f"{c.local_prefix}{index}"
        named = c.local_refs[index] = (name, frozenset((name,)))
    known = c.local_ranges.get(index)
    align = c.local_align.get(index)
    if c.entry_gets and id(ins) in c.entry_gets and not c.inline_frames:
        align = max(align or 1, c.entry_gets[id(ins)])  # a parameter's entry value
    if known is None and align is None:
        # nothing known of the value: one shared entry per variable (entries are never
        # changed once made, see stack.INT_CONSTANTS)
        entry = c.plain_entries.get(named)
        if entry is None:
            entry = c.plain_entries[named] = Entry(*named)
        c.stack.items.append(entry)
        return
    key = (named, known, align)  # (the same shared entries for what is known)
    entry = c.known_entries.get(key)
    if entry is None:
        entry = Entry(*named) if known is None else \
            Entry(*named, False, None, False, 0, known[0], known[1])  # (positional: faster)
        if align is not None:
            entry.align = align
        c.known_entries[key] = entry
    c.stack.items.append(entry)


def op_local_set(c: FunctionCompiler, ins: Instruction) -> None:
    index = ins.immediates[0]
    if index in c.const_locals and not c.inline_frames:  # the constant (see .constants)
        c.stack.items.pop()
        return
    name = f"{c.local_prefix}{index}"
    stack = c.stack
    value = stack.items.pop()
    stack.flush_refs(name)
    if c.slot_values:
        forget_local(c, name)
    if c.view_records:
        forget_views(c, name)
    if value.impure:
        stack.flush_impure()  # earlier pending traps come first
    expr = value.expr
    if expr != name and (expr != c.result_line[1] or not c.assign_to_local(name, value)):
        c.emit(f"{name} = {expr}")
    if value.lo is not None and value.hi is not None:  # (c.set_local_range, inline)
        c.local_ranges[index] = (value.lo, value.hi)
    else:
        c.local_ranges.pop(index, None)
    if c.slot_loads:
        loaded_into(c, name, value)


def op_local_tee(c: FunctionCompiler, ins: Instruction) -> None:
    op_local_set(c, ins)
    op_local_get(c, ins)  # (the local's entry, or its constant: see .constants)


def global_expr(c: FunctionCompiler, index: int) -> str:
    if c.ctx.global_access[index] == "shared":
        return f"GI{index}.value"
    return f"G{index}"


def op_global_get(c: FunctionCompiler, ins: Instruction) -> None:
    index = ins.immediates[0]
    mutable = c.ctx.globals[index].mutable
    entry = Entry(global_expr(c, index), frozenset((f"G{index}",)), mutable)
    if c.entry_reads and id(ins) in c.entry_reads and not c.inline_frames:
        entry.align = ENTRY_ALIGN  # tested at entry (see .entry_alignment.entry_reads)
        if c.stack_floor:  # (and bounded: see .alignment.STACK_FLOOR)
            entry.lo, entry.hi = STACK_RANGE
    c.stack.push(entry)


def op_global_set(c: FunctionCompiler, ins: Instruction) -> None:
    index = ins.immediates[0]
    value = c.stack.pop()
    c.stack.flush_refs(f"G{index}")
    c.stack.flush_impure()
    if c.ctx.global_access[index] != "shared":
        c.set_globals.add(index)
    c.emit(f"{global_expr(c, index)} = {value.expr}")


def op_table_get(c: FunctionCompiler, ins: Instruction) -> None:
    table = ins.immediates[0]
    index = c.stack.pop()
    c.stack.push(Entry(f"TI{table}.get({index.expr})", index.refs, True, None, False,
                       index.depth + 1))


def op_table_set(c: FunctionCompiler, ins: Instruction) -> None:
    table = ins.immediates[0]
    index, value = c.stack.pop_n(2)
    c.stack.flush_impure()
    c.emit(f"TI{table}.set({index.expr}, {value.expr})")


def op_table_size(c: FunctionCompiler, ins: Instruction) -> None:
    c.stack.push(Entry(f"len(T{ins.immediates[0]})", frozenset(), True, None, False, 1))


def op_table_grow(c: FunctionCompiler, ins: Instruction) -> None:
    table = ins.immediates[0]
    if c.stack.items[-1].impure:
        c.stack.flush_impure()  # `grow(delta, init)` reads delta first
    init, delta = c.stack.pop_n(2)
    c.stack.flush_impure()
    mask = "0xFFFFFFFFFFFFFFFF" if c.ctx.table64(table) else "0xFFFFFFFF"
    c.assign_result(f"TI{table}.grow({delta.expr}, {init.expr}) & {mask}")


def op_table_fill(c: FunctionCompiler, ins: Instruction) -> None:
    table = ins.immediates[0]
    i, v, n = c.stack.pop_n(3)
    c.stack.flush_impure()
    c.emit(f"n_table_fill(TI{table}, {i.expr}, {v.expr}, {n.expr})")


def op_table_copy(c: FunctionCompiler, ins: Instruction) -> None:
    destination, source = ins.immediates
    d, s, n = c.stack.pop_n(3)
    c.stack.flush_impure()
    c.emit(f"n_table_copy(TI{destination}, TI{source}, {d.expr}, {s.expr}, {n.expr})")


def op_table_init(c: FunctionCompiler, ins: Instruction) -> None:
    element, table = ins.immediates
    d, s, n = c.stack.pop_n(3)
    c.stack.flush_impure()
    c.emit(f"n_table_init(TI{table}, ELEM[{element}], {d.expr}, {s.expr}, {n.expr})")


def op_elem_drop(c: FunctionCompiler, ins: Instruction) -> None:
    c.stack.flush_impure()  # a pending trap comes first: the segment stays
    c.emit(f"ELEM[{ins.immediates[0]}] = ()")


def op_ref_null(c: FunctionCompiler, ins: Instruction) -> None:
    c.push_const(0, "None")
    c.stack.items[-1].const = None


def op_ref_is_null(c: FunctionCompiler, ins: Instruction) -> None:
    ref = c.stack.pop()
    c.stack.push(Entry(f"({ref.expr} is None)", ref.refs, ref.impure, None, True,
                       ref.depth + 1))


def op_ref_func(c: FunctionCompiler, ins: Instruction) -> None:
    c.stack.push(Entry(f"FI{ins.immediates[0]}"))


def op_ref_as_non_null(c: FunctionCompiler, ins: Instruction) -> None:
    ref = c.stack.pop()
    c.stack.push(Entry(f"n_ref_as_non_null({ref.expr})", ref.refs, True, None, False,
                       ref.depth + 1))


HANDLERS: dict[int, Handler] = {BY_NAME[name].key: handler for name, handler in {
    "drop": op_drop, "select": op_select, "select_t": op_select, "local.get": op_local_get,
    "local.set": op_local_set, "local.tee": op_local_tee, "global.get": op_global_get,
    "global.set": op_global_set, "table.get": op_table_get, "table.set": op_table_set,
    "table.size": op_table_size, "table.grow": op_table_grow, "table.fill": op_table_fill,
    "table.copy": op_table_copy, "table.init": op_table_init, "elem.drop": op_elem_drop,
    "ref.null": op_ref_null, "ref.is_null": op_ref_is_null, "ref.func": op_ref_func,
    "ref.as_non_null": op_ref_as_non_null,
}.items()}
"""Emitters of this family by opcode key."""
