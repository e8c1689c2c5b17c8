"""Instruction emitters of the code generator, other than structured control flow.

Each handler translates one instruction, reading and pushing symbolic stack entries
(:mod:`.stack`) and emitting statements for side effects. Handlers are collected in
``OpsEmitter.HANDLERS`` keyed by opcode, built from the one opcode table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...syntax.instructions import Instruction
from ...syntax.opcodes import BY_NAME, OPCODES, Imm, Op
from ..numeric.bits import f32_from_bits, f64_from_bits
from .ops import TEMPLATES, OpTemplate
from .ranges import bounds, width_of
from .stack import MAX_EXPR_DEPTH, Entry, var_entry

if TYPE_CHECKING:
    from .codegen import FunctionCompiler

__all__ = ["OpsEmitter"]

Handler = Callable[["FunctionCompiler", Instruction], None]

_LOADS: dict[str, str] = {
    # name -> expression over {m} (buffer) and {a} (effective address)
    "i32.load": "U32({m}, {a})[0]",
    "i64.load": "U64({m}, {a})[0]",
    "f32.load": "n_f32_load({m}, {a})",
    "f64.load": "UF64({m}, {a})[0]",
    "i32.load8_u": "{m}[{a}]",
    "i32.load8_s": "SX8_32[{m}[{a}]]",
    "i32.load16_u": "U16({m}, {a})[0]",
    "i32.load16_s": "(S16({m}, {a})[0] & 0xFFFFFFFF)",
    "i64.load8_u": "{m}[{a}]",
    "i64.load8_s": "SX8_64[{m}[{a}]]",
    "i64.load16_u": "U16({m}, {a})[0]",
    "i64.load16_s": "(S16({m}, {a})[0] & 0xFFFFFFFFFFFFFFFF)",
    "i64.load32_u": "U32({m}, {a})[0]",
    "i64.load32_s": "(S32({m}, {a})[0] & 0xFFFFFFFFFFFFFFFF)",
}

# loads/stores with an aligned fast path through a typed view of the buffer:
# name -> (view type code, access size, mask applied to the loaded value or None)
_VIEWS: dict[str, tuple[str, int, int | None]] = {
    "i32.load": ("I", 4, None), "i64.load": ("Q", 8, None), "f64.load": ("d", 8, None),
    "i32.load16_u": ("H", 2, None), "i64.load16_u": ("H", 2, None),
    "i64.load32_u": ("I", 4, None),
}
# name -> (view type code, access size, value mask or None)
_STORE_VIEWS: dict[str, tuple[str, int, int | None]] = {
    "i32.store": ("I", 4, None), "i64.store": ("Q", 8, None), "f64.store": ("d", 8, None),
    "i32.store16": ("H", 2, 0xFFFF), "i64.store16": ("H", 2, 0xFFFF),
    "i64.store32": ("I", 4, 0xFFFFFFFF),
}
_VIEW_NAMES = {"I": "V32", "Q": "V64", "d": "VF64", "H": "V16"}
VIEW_CODES = _VIEW_NAMES
"""View type codes and the namespace prefix compiled code uses for them."""


def _view_index(address: Entry, offset: int, shift: int, where: str) -> str:
    """Index into a typed view for an aligned access at ``address + offset``."""
    scaled = address.scaled
    if scaled is not None and scaled[1] == shift:
        base, _k, mask = scaled
        index = base if mask is None else f"({base} & {mask})"
        return f"{index} + {offset >> shift}" if offset else index
    return f"({where}) >> {shift}"


def _aligned(address: Entry, offset: int, size: int) -> bool:
    """True if ``address + offset`` is known to be a multiple of ``size``."""
    return address.align % size == 0 and offset % size == 0


_LOAD_HI: dict[str, int] = {
    "i32.load": 0xFFFFFFFF, "i32.load8_u": 0xFF, "i32.load16_u": 0xFFFF,
    "i64.load8_u": 0xFF, "i64.load16_u": 0xFFFF, "i64.load32_u": 0xFFFFFFFF,
    "i64.load": 0xFFFFFFFFFFFFFFFF,
}

_STORES: dict[str, str] = {
    "i32.store": "P32({m}, {a}, {v})",
    "i64.store": "P64({m}, {a}, {v})",
    "f32.store": "n_f32_store({m}, {a}, {v})",
    "f64.store": "PF64({m}, {a}, {v})",
    "i32.store8": "{m}[{a}] = {v} & 0xFF",
    "i32.store16": "P16({m}, {a}, {v} & 0xFFFF)",
    "i64.store8": "{m}[{a}] = {v} & 0xFF",
    "i64.store16": "P16({m}, {a}, {v} & 0xFFFF)",
    "i64.store32": "P32({m}, {a}, {v} & 0xFFFFFFFF)",
}


_NO_REFS: frozenset[str] = frozenset()


def _refs(*entries: Entry) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for e in entries:
        if e.refs:
            out = out | e.refs
    return out


class OpsEmitter:
    """Mixin with the per-instruction handlers; see :class:`FunctionCompiler`."""

    HANDLERS: dict[int, Handler] = {}

    # ------------------------------------------------------------------ numbers
    def op_numeric(self: FunctionCompiler, ins: Instruction) -> None:
        name, special, template, arity, foldable, ranged = _NUMERIC[ins.opcode]
        if special is not None and special(self, name):
            return
        stack = self.stack
        items = stack.items
        for i in template.simple:
            stack.make_simple(len(items) - arity + i)
        if arity == 2:
            a, b = items[-2], items[-1]
            del items[-2:]
            operands = [a, b]
            expr = template.template.format(a.expr, b.expr)
            consts = isinstance(a.const, int) and isinstance(b.const, int)
            depth = 1 + (a.depth if a.depth > b.depth else b.depth)
            impure = template.traps or a.impure or b.impure
            refs = a.refs | b.refs if a.refs and b.refs else a.refs or b.refs
        else:
            a = items.pop()
            operands = [a]
            expr = template.template.format(a.expr)
            consts = isinstance(a.const, int)
            depth = 1 + a.depth
            impure = template.traps or a.impure
            refs = a.refs
        if consts and foldable:
            value = eval(expr, {"__builtins__": {"float": float}})
            if isinstance(value, bool):
                value = int(value)
            if isinstance(value, int):
                self.push_const(value)
                return
        entry = Entry(expr, refs, impure, None, template.boolean, depth)
        if ranged == _COMPARE:
            entry.compare = (name, operands[0], operands[-1])  # as _result_range does
        elif ranged:
            _result_range(name, entry, operands)
        items.append(entry)  # stack.push, inline
        if template.traps:
            self.sites.deferred(entry)  # its own place, for backtraces
        if depth > MAX_EXPR_DEPTH:
            stack.materialize(len(items) - 1)

    def op_i32_const(self: FunctionCompiler, ins: Instruction) -> None:
        value = ins.immediates[0]
        self.stack.items.append(Entry(repr(value), _NO_REFS, False, value))  # never too deep

    op_i64_const = op_i32_const

    def op_f32_const(self: FunctionCompiler, ins: Instruction) -> None:
        bits = ins.immediates[0]
        value = self.f32_from_bits(bits)
        self.push_const(value, self.ctx.float_literal(value, bits))

    def op_f64_const(self: FunctionCompiler, ins: Instruction) -> None:
        bits = ins.immediates[0]
        value = self.f64_from_bits(bits)
        self.push_const(value, self.ctx.float_literal(value, bits))

    # ------------------------------------------------------------------ parametric
    def op_drop(self: FunctionCompiler, ins: Instruction) -> None:
        entry = self.stack.pop()
        if entry.impure:
            self.stack.flush_impure()  # earlier pending traps come first
            self.emit(entry.expr)

    def op_select(self: FunctionCompiler, ins: Instruction) -> None:
        top = len(self.stack)
        if any(e.impure for e in self.stack.items[top - 3:]):
            self.stack.flush_impure()  # bottom first: the first trap in execution order
            for position in range(top - 3, top):
                self.stack.materialize(position)
        first, second, cond = self.stack.pop_n(3)
        lo = hi = None
        if None not in (first.lo, first.hi, second.lo, second.hi):
            lo, hi = min(first.lo, second.lo), max(first.hi, second.hi)  # type: ignore[type-var]
        self.stack.push(Entry(f"({first.expr} if {cond.expr} else {second.expr})",
                              _refs(first, second, cond), False, None,
                              first.boolean and second.boolean, 1, lo=lo, hi=hi))

    # ------------------------------------------------------------------ variables
    def push_aligned(self: FunctionCompiler, entry: Entry, align: int) -> None:
        """Push ``entry`` recording a known power-of-two divisor (capped at 2**16)."""
        entry.align = min(align, 1 << 16)
        self.stack.push(entry)

    def op_local_get(self: FunctionCompiler, ins: Instruction) -> None:
        # self.local_entry, inline (the commonest instruction); never too deep to push
        index = ins.immediates[0]
        named = self.local_refs.get(index)
        if named is None:
            name = f"{self.local_prefix}{index}"
            named = self.local_refs[index] = (name, frozenset((name,)))
        known = self.local_ranges.get(index)
        if known is None:
            self.stack.items.append(Entry(*named))
        else:
            self.stack.items.append(Entry(*named, lo=known[0], hi=known[1]))

    def op_local_set(self: FunctionCompiler, ins: Instruction) -> None:
        index = ins.immediates[0]
        name = f"{self.local_prefix}{index}"
        value = self.stack.pop()
        self.stack.flush_refs(name)
        if value.impure:
            self.stack.flush_impure()  # earlier pending traps come first
        if value.expr != name:
            self.emit(f"{name} = {value.expr}")
        self.set_local_range(index, value)

    def op_local_tee(self: FunctionCompiler, ins: Instruction) -> None:
        index = ins.immediates[0]
        name = self.local_name(index)
        value = self.stack.pop()
        self.stack.flush_refs(name)
        if value.impure:
            self.stack.flush_impure()  # earlier pending traps come first
        if value.expr != name:
            self.emit(f"{name} = {value.expr}")
        self.set_local_range(index, value)
        self.stack.push(self.local_entry(index))

    def global_expr(self: FunctionCompiler, index: int) -> str:
        if self.ctx.global_access[index] == "shared":
            return f"GI{index}.value"
        return f"G{index}"

    def op_global_get(self: FunctionCompiler, ins: Instruction) -> None:
        index = ins.immediates[0]
        mutable = self.ctx.globals[index].mutable
        self.stack.push(Entry(self.global_expr(index), frozenset((f"G{index}",)), mutable))

    def op_global_set(self: FunctionCompiler, ins: Instruction) -> None:
        index = ins.immediates[0]
        value = self.stack.pop()
        self.stack.flush_refs(f"G{index}")
        self.stack.flush_impure()
        if self.ctx.global_access[index] != "shared":
            self.set_globals.add(index)
        self.emit(f"{self.global_expr(index)} = {value.expr}")

    # ------------------------------------------------------------------ memory
    def effective_address(self: FunctionCompiler, address: Entry, offset: int) -> str:
        if not offset:
            return address.expr
        if address.const is not None:
            return str(address.const + offset)
        return f"{address.expr} + {offset}"

    def op_load(self: FunctionCompiler, ins: Instruction) -> None:
        info = OPCODES[ins.opcode]
        _align, offset, memory = ins.immediates
        address = self.stack.pop()
        where = self.effective_address(address, offset)
        view = _VIEWS.get(info.name)
        if view is not None:
            code, size, wrap = view
            name = f"{_VIEW_NAMES[code]}_{memory}"
            shift = size.bit_length() - 1
            if _aligned(address, offset, size):
                text = f"{name}[{_view_index(address, offset, shift, where)}]"
            else:
                # `_a` is assigned and read within this one conditional expression, with
                # nothing evaluated in between (an inner load in `where` finishes first),
                # so loads may nest in addresses and operands; stores use `_s` instead
                slow = _LOADS[info.name].format(m=f"M{memory}", a="_a")
                text = f"({name}[_a >> {shift}] if not (_a := {where}) & {size - 1} else {slow})"
            if wrap:
                text = f"({text} & {wrap})"
        else:
            text = _LOADS[info.name].format(m=f"M{memory}", a=where)
        hi = _LOAD_HI.get(info.name)
        self.stack.push(Entry(text, address.refs, True, None, False, address.depth + 1,
                              lo=None if hi is None else 0, hi=hi))

    def op_store(self: FunctionCompiler, ins: Instruction) -> None:
        info = OPCODES[ins.opcode]
        _align, offset, memory = ins.immediates
        view = _STORE_VIEWS.get(info.name)
        size = view[1] if view is not None else info.memory_size
        address, value = self.stack.items[-2], self.stack.items[-1]
        if (address.impure and value.impure
                and (info.memory_size == 1 or (view is not None
                                                and _aligned(address, offset, size)))):
            # `m[a] = v` evaluates v before a: keep the spec's order of traps
            self.stack.materialize(len(self.stack) - 2)
        value = self.stack.pop()
        address = self.stack.pop()
        self.stack.flush_impure()
        address_text = self.effective_address(address, offset)
        if view is None:
            text = _STORES[info.name].format(m=f"M{memory}", a=address_text, v=value.expr)
            if info.memory_size == 1 and (value.hi is not None and value.hi <= 0xFF):
                text = text.rsplit(" & 0xFF", 1)[0]  # the value already fits in a byte
            self.emit(text)
            return
        code, size, mask = view
        name = f"{_VIEW_NAMES[code]}_{memory}"
        shift = size.bit_length() - 1
        v = value.expr if mask is None or (value.hi is not None and value.hi <= mask) \
            else f"{value.expr} & {mask}"
        if _aligned(address, offset, size):
            self.emit(f"{name}[{_view_index(address, offset, shift, address_text)}] = {v}")
            return
        # `_s`, not the loads' `_a`: the value is evaluated after the address is
        # assigned (and, in `view[i] = v`, before the index is read), so a load in it
        # would overwrite `_a`; a store never nests in an expression, so `_s` is safe
        slow = _STORES[info.name].format(m=f"M{memory}", a="_s", v=value.expr)
        self.emit(f"if (_s := {address_text}) & {size - 1}:")
        self.indent()
        self.emit(slow)
        self.dedent()
        self.emit("else:")
        self.indent()
        self.emit(f"{name}[_s >> {shift}] = {v}")
        self.dedent()

    def op_memory_size(self: FunctionCompiler, ins: Instruction) -> None:
        memory = ins.immediates[0]
        limit = 1 << 48 if self.ctx.memory64(memory) else 1 << 16
        self.stack.push(Entry(f"(len(M{memory}) >> 16)", frozenset(), True, None, False, 1,
                              lo=0, hi=limit))

    def address_mask(self: FunctionCompiler, memory: int) -> str:
        return "0xFFFFFFFFFFFFFFFF" if self.ctx.memory64(memory) else "0xFFFFFFFF"

    def op_memory_grow(self: FunctionCompiler, ins: Instruction) -> None:
        memory = ins.immediates[0]
        delta = self.stack.pop()
        self.stack.flush_impure()
        self.assign_result(f"MEM{memory}.grow({delta.expr}) & {self.address_mask(memory)}")

    def op_memory_fill(self: FunctionCompiler, ins: Instruction) -> None:
        memory = ins.immediates[0]
        d, v, n = self.stack.pop_n(3)
        self.stack.flush_impure()
        self.emit(f"MEM{memory}.fill({d.expr}, {v.expr}, {n.expr})")

    def op_memory_copy(self: FunctionCompiler, ins: Instruction) -> None:
        destination, source = ins.immediates
        d, s, n = self.stack.pop_n(3)
        self.stack.flush_impure()
        other = "" if destination == source else f", MEM{source}"
        self.emit(f"MEM{destination}.copy({d.expr}, {s.expr}, {n.expr}{other})")

    def op_memory_init(self: FunctionCompiler, ins: Instruction) -> None:
        data, memory = ins.immediates
        d, s, n = self.stack.pop_n(3)
        self.stack.flush_impure()
        self.emit(f"MEM{memory}.init({d.expr}, DATA[{data}], {s.expr}, {n.expr})")

    def op_data_drop(self: FunctionCompiler, ins: Instruction) -> None:
        self.emit(f"DATA[{ins.immediates[0]}] = b''")

    # ------------------------------------------------------------------ tables
    def op_table_get(self: FunctionCompiler, ins: Instruction) -> None:
        table = ins.immediates[0]
        index = self.stack.pop()
        self.stack.push(Entry(f"TI{table}.get({index.expr})", index.refs, True, None, False,
                              index.depth + 1))

    def op_table_set(self: FunctionCompiler, ins: Instruction) -> None:
        table = ins.immediates[0]
        index, value = self.stack.pop_n(2)
        self.stack.flush_impure()
        self.emit(f"TI{table}.set({index.expr}, {value.expr})")

    def op_table_size(self: FunctionCompiler, ins: Instruction) -> None:
        self.stack.push(Entry(f"len(T{ins.immediates[0]})", frozenset(), True, None, False, 1))

    def op_table_grow(self: FunctionCompiler, ins: Instruction) -> None:
        table = ins.immediates[0]
        if self.stack.items[-1].impure:
            self.stack.flush_impure()  # `grow(delta, init)` reads delta first
        init, delta = self.stack.pop_n(2)
        self.stack.flush_impure()
        mask = "0xFFFFFFFFFFFFFFFF" if self.ctx.table64(table) else "0xFFFFFFFF"
        self.assign_result(f"TI{table}.grow({delta.expr}, {init.expr}) & {mask}")

    def op_table_fill(self: FunctionCompiler, ins: Instruction) -> None:
        table = ins.immediates[0]
        i, v, n = self.stack.pop_n(3)
        self.stack.flush_impure()
        self.emit(f"n_table_fill(TI{table}, {i.expr}, {v.expr}, {n.expr})")

    def op_table_copy(self: FunctionCompiler, ins: Instruction) -> None:
        destination, source = ins.immediates
        d, s, n = self.stack.pop_n(3)
        self.stack.flush_impure()
        self.emit(f"n_table_copy(TI{destination}, TI{source}, {d.expr}, {s.expr}, {n.expr})")

    def op_table_init(self: FunctionCompiler, ins: Instruction) -> None:
        element, table = ins.immediates
        d, s, n = self.stack.pop_n(3)
        self.stack.flush_impure()
        self.emit(f"n_table_init(TI{table}, ELEM[{element}], {d.expr}, {s.expr}, {n.expr})")

    def op_elem_drop(self: FunctionCompiler, ins: Instruction) -> None:
        self.emit(f"ELEM[{ins.immediates[0]}] = ()")

    # ------------------------------------------------------------------ references
    def op_ref_null(self: FunctionCompiler, ins: Instruction) -> None:
        self.push_const(0, "None")
        self.stack.items[-1].const = None

    def op_ref_is_null(self: FunctionCompiler, ins: Instruction) -> None:
        ref = self.stack.pop()
        self.stack.push(Entry(f"({ref.expr} is None)", ref.refs, ref.impure, None, True,
                              ref.depth + 1))

    def op_ref_func(self: FunctionCompiler, ins: Instruction) -> None:
        self.stack.push(Entry(f"FI{ins.immediates[0]}"))

    def op_ref_as_non_null(self: FunctionCompiler, ins: Instruction) -> None:
        ref = self.stack.pop()
        self.stack.push(Entry(f"n_ref_as_non_null({ref.expr})", ref.refs, True, None, False,
                              ref.depth + 1))

    # ------------------------------------------------------------------ calls
    def assign_result(self: FunctionCompiler, expr: str, count: int = 1) -> None:
        """Emit ``s<h>.. = expr`` for a side-effecting expression with ``count`` results."""
        base = len(self.stack)
        names = [f"s{base + k}" for k in range(count)]
        for name in names:
            self.stack.flush_refs(name)
        if count == 0:
            self.emit(expr)
            return
        self.emit(f"{', '.join(names)} = {expr}")
        for name in names:
            self.stack.push(var_entry(name))

    def emit_call(self: FunctionCompiler, callee: str, params: int, results: int,
                  tail: bool, extra: list[Entry] | None = None, direct: bool = False) -> None:
        args = self.stack.pop_n(params)
        self.stack.flush_impure()
        self.calls = True
        # the call depth (exec/callstack.py): an argument of direct calls to this
        # module's functions; published in the thread's counters for any other callee
        # (calls inlined around this one count too: each stands for a frame)
        inlined = len(self.inline_frames)
        if direct:
            text = f"{callee}({''.join(a.expr + ', ' for a in args)}_d + {1 + inlined})"
        else:
            self.emit(f"n_local.counters.depth = _d + {inlined}" if inlined else
                      "n_local.counters.depth = _d")
            text = f"{callee}({', '.join(a.expr for a in args)})"
        if tail:
            self.emit(f"return {text}")
            self.unreachable = True
            return
        self.assign_result(text, results)

    def op_call(self: FunctionCompiler, ins: Instruction) -> None:
        index = ins.immediates[0]
        ft = self.ctx.function_types[index]
        if ins.opcode == Op.CALL and self.try_inline(index):
            return
        self.emit_call(f"F{index}", len(ft.params), len(ft.results), ins.opcode == Op.RETURN_CALL,
                       direct=index >= self.ctx.imported_functions)

    def op_call_indirect(self: FunctionCompiler, ins: Instruction) -> None:
        type_index, table = ins.immediates
        ft = self.ctx.module.types[type_index]
        index = self.stack.pop()
        # arguments are evaluated before the callee is looked up
        top = len(self.stack)
        for position in range(top - len(ft.params), top):
            if self.stack.items[position].impure:
                self.stack.materialize(position)
        self.stack.flush_impure()
        if ins.opcode == Op.RETURN_CALL_INDIRECT:
            callee = f"n_indirect(TI{table}, {index.expr}, K{type_index})"
            self.emit_call(callee, len(ft.params), len(ft.results), True)
            return
        # inline lookup: bounds, null and type checks, then the call
        temp = self.new_temp()
        if index.simple:
            slot = index.expr
        else:
            slot = self.new_temp()
            self.emit(f"{slot} = {index.expr}")
        self.emit(f"{temp} = T{table}[{slot}] if {slot} < len(T{table}) else "
                  f"n_indirect(TI{table}, {slot}, K{type_index})")
        self.emit(f"if {temp} is None or {temp}.key is not K{type_index}:")
        self.indent()
        self.emit(f"{temp} = n_indirect_check({temp}, K{type_index}, {slot})")
        self.dedent()
        self.emit_call(f"{temp}.call", len(ft.params), len(ft.results), False)

    def op_call_ref(self: FunctionCompiler, ins: Instruction) -> None:
        ft = self.ctx.module.types[ins.immediates[0]]
        ref = self.stack.pop()
        top = len(self.stack)
        for position in range(top - len(ft.params), top):
            if self.stack.items[position].impure:
                self.stack.materialize(position)
        self.emit_call(f"n_call_ref({ref.expr})", len(ft.params), len(ft.results),
                       ins.opcode == Op.RETURN_CALL_REF)

    # ------------------------------------------------------------------ control
    def op_nop(self: FunctionCompiler, ins: Instruction) -> None:
        pass

    def op_unreachable(self: FunctionCompiler, ins: Instruction) -> None:
        self.stack.flush_impure()
        self.emit("raise n_unreachable()")
        self.unreachable = True

    def op_return(self: FunctionCompiler, ins: Instruction) -> None:
        n = len(self.type.results)
        self.stack.flush_impure(keep_top=n)
        if self.inline_frames:
            target = self.inline_frames[-1]
            self.jump(len(self.frames) - 1 - self.frames.index(target), n)
        else:
            self.emit_return(self.stack.top_n(n))
        self.unreachable = True

    def label_arity(self: FunctionCompiler, relative: int) -> int:
        return self.frames[-1 - relative].label_arity

    def op_br(self: FunctionCompiler, ins: Instruction) -> None:
        relative = ins.immediates[0]
        arity = self.label_arity(relative)
        self.stack.flush_impure(keep_top=arity)
        self.jump(relative, arity)
        self.unreachable = True

    def op_br_if(self: FunctionCompiler, ins: Instruction) -> None:
        relative = ins.immediates[0]
        arity = self.label_arity(relative)
        cond = self.stack.pop()
        self.stack.flush_impure()
        top = len(self.stack)
        for position in range(top - arity, top):
            self.stack.make_simple(position)
        self.emit(f"if {cond.expr}:")
        self.indent()
        self.jump(relative, arity)
        self.dedent()
        self.learn(cond, False)

    def op_br_table(self: FunctionCompiler, ins: Instruction) -> None:
        labels, default = ins.immediates
        arity = self.label_arity(default)
        index = self.stack.pop()
        self.stack.flush_impure()
        top = len(self.stack)
        for position in range(top - arity, top):
            self.stack.make_simple(position)
        if not index.simple:
            temp = self.new_temp()
            self.emit(f"{temp} = {index.expr}")
            index = var_entry(temp)
        runs: list[tuple[int, int]] = []  # (first index, label); a run lasts to the next
        for i, label in enumerate(labels):
            if not runs or runs[-1][1] != label:
                runs.append((i, label))
        if not runs or runs[-1][1] != default:
            runs.append((len(labels), default))
        self.emit_runs(index.expr, runs, arity)
        self.unreachable = True

    def emit_runs(self: FunctionCompiler, index: str, runs: list[tuple[int, int]],
                  arity: int) -> None:
        """Binary search over the runs of equal targets; the last run is open-ended."""
        if len(runs) == 1:
            self.jump(runs[0][1], arity)
            return
        if len(runs) <= 4:
            for k, (_start, label) in enumerate(runs):
                if k < len(runs) - 1:
                    self.emit(f"{'if' if k == 0 else 'elif'} {index} < {runs[k + 1][0]}:")
                else:
                    self.emit("else:")
                self.indent()
                self.jump(label, arity)
                self.dedent()
            return
        middle = len(runs) // 2
        self.emit(f"if {index} < {runs[middle][0]}:")
        self.indent()
        self.emit_runs(index, runs[:middle], arity)
        self.dedent()
        self.emit("else:")
        self.indent()
        self.emit_runs(index, runs[middle:], arity)
        self.dedent()

    def op_br_on_null(self: FunctionCompiler, ins: Instruction) -> None:
        relative = ins.immediates[0]
        arity = self.label_arity(relative)
        self.stack.flush_impure()
        ref = self.stack.make_simple(len(self.stack) - 1)
        self.stack.pop()
        top = len(self.stack)
        for position in range(top - arity, top):
            self.stack.make_simple(position)
        self.emit(f"if {ref.expr} is None:")
        self.indent()
        self.jump(relative, arity)
        self.dedent()
        self.stack.push(ref)

    def op_br_on_non_null(self: FunctionCompiler, ins: Instruction) -> None:
        relative = ins.immediates[0]
        arity = self.label_arity(relative)
        self.stack.flush_impure()
        top = len(self.stack)
        for position in range(top - arity, top):
            self.stack.make_simple(position)
        ref = self.stack.items[-1]
        self.emit(f"if {ref.expr} is not None:")
        self.indent()
        self.jump(relative, arity)
        self.dedent()
        self.stack.pop()

    def op_throw(self: FunctionCompiler, ins: Instruction) -> None:
        tag = ins.immediates[0]
        count = len(self.ctx.tag_types[tag].params)
        values = self.stack.pop_n(count)
        self.stack.flush_impure()
        payload = "".join(f"{v.expr}, " for v in values)
        self.emit(f"raise WasmThrow(TAG{tag}, ({payload}))")
        self.unreachable = True

    def op_throw_ref(self: FunctionCompiler, ins: Instruction) -> None:
        ref = self.stack.pop()
        self.stack.flush_impure()
        self.emit(f"raise n_throw_ref({ref.expr})")
        self.unreachable = True

    # ------------------------------------------------------------------ constants
    def f32_from_bits(self, bits: int) -> float:
        return f32_from_bits(bits)

    def f64_from_bits(self, bits: int) -> float:
        return f64_from_bits(bits)


def _wrapping(self: FunctionCompiler, name: str) -> bool:
    """``add``/``sub`` without the cost of ``& mask``: compare and correct instead.

    ``x + c if x < MOD - c else x + c - MOD`` (constant ``c``, variable ``x``) or, for two
    expressions, ``_w if (_w := a + b) < MOD else _w - MOD``; both about twice as fast
    as masking in CPython. ``_w`` is only read inside the expression that assigns it.
    """
    a, b = self.stack.items[-2], self.stack.items[-1]
    if isinstance(a.const, int) and isinstance(b.const, int):
        return False  # folded by the generic path
    modulus = 1 << 32 if name.startswith("i32") else 1 << 64
    add = name.endswith("add")
    if add and isinstance(a.const, int):
        a, b = b, a  # commutative: constant second
    # bounds(a, bits) and bounds(b, bits), inline: this is a hot path
    a_lo = 0 if a.lo is None else a.lo
    a_hi = modulus - 1 if a.hi is None else a.hi
    b_lo = 0 if b.lo is None else b.lo
    b_hi = modulus - 1 if b.hi is None else b.hi
    align = min(a.align, b.align)
    if add and a_hi + b_hi < modulus:
        self.stack.pop_n(2)
        self.push_aligned(Entry(f"({a.expr} + {b.expr})", _refs(a, b), a.impure or b.impure,
                                None, False, 1 + max(a.depth, b.depth), lo=a_lo + b_lo,
                                hi=a_hi + b_hi), align)
        return True
    if not add and a_lo >= b_hi:
        self.stack.pop_n(2)
        self.push_aligned(Entry(f"({a.expr} - {b.expr})", _refs(a, b), a.impure or b.impure,
                                None, False, 1 + max(a.depth, b.depth), lo=a_lo - b_hi,
                                hi=a_hi - b_lo), align)
        return True
    if isinstance(b.const, int) and a.simple and 0 < b.const < (1 << 31):
        c, x = b.const, a.expr
        if add:
            expr = f"({x} + {c} if {x} < {modulus - c} else {x} - {modulus - c})"
        else:
            expr = f"({x} - {c} if {x} >= {c} else {x} + {modulus - c})"
    elif isinstance(b.const, int) and a.simple and 0 < modulus - b.const < (1 << 31):
        # a small negative constant: adding it subtracts d, subtracting it adds d
        c, d, x = b.const, modulus - b.const, a.expr
        if add:
            expr = f"({x} - {d} if {x} >= {d} else {x} + {c})"
        else:
            expr = f"({x} + {d} if {x} < {c} else {x} - {c})"
    elif add:
        expr = f"(_w if (_w := {a.expr} + {b.expr}) < {modulus} else _w - {modulus})"
    else:
        expr = f"(_w if (_w := {a.expr} - {b.expr}) >= 0 else _w + {modulus})"
    self.stack.pop_n(2)
    self.push_aligned(Entry(expr, _refs(a, b), a.impure or b.impure, None, False,
                            1 + max(a.depth, b.depth)), align)
    return True


def _shift(self: FunctionCompiler, name: str) -> bool:
    """Shifts and rotations by a constant count: the count is masked at compile time."""
    count = self.stack.items[-1]
    if not isinstance(count.const, int) or isinstance(self.stack.items[-2].const, int):
        return False
    bits = 32 if name.startswith("i32") else 64
    mask = (1 << bits) - 1
    sign = 1 << (bits - 1)
    k = count.const & (bits - 1)
    value = self.stack.items[-2]
    x = value.expr
    op = name.split(".")[1]
    lo = hi = None
    v_lo, v_hi = bounds(value, bits)
    if k == 0:
        expr = x
        lo, hi = value.lo, value.hi
    elif op == "shl" and v_hi << k <= mask:
        expr = f"({x} << {k})"
        lo, hi = v_lo << k, v_hi << k
    elif op == "shl":
        expr = f"(({x} << {k}) & {mask})"
    elif op == "shr_u":
        expr = f"({x} >> {k})"
        lo, hi = v_lo >> k, v_hi >> k
    elif op == "shr_s":
        expr = f"(((({x} ^ {sign}) - {sign}) >> {k}) & {mask})"
    elif value.simple:
        left = k if op == "rotl" else bits - k
        expr = f"((({x} << {left}) & {mask}) | ({x} >> {bits - left}))"
    else:
        return False
    align = value.align << k if op == "shl" else (value.align if k == 0 else 1)
    self.stack.pop_n(2)
    entry = Entry(expr, value.refs, value.impure, None, False, value.depth + 1, lo=lo, hi=hi)
    if op == "shl" and k:
        entry.scaled = (x, k, None if v_hi << k <= mask else mask >> k)
    self.push_aligned(entry, align)
    return True


def _multiply(self: FunctionCompiler, name: str) -> bool:
    """``mul`` whose product provably fits needs no mask."""
    bits = width_of(name)
    a, b = self.stack.items[-2], self.stack.items[-1]
    if isinstance(a.const, int) and isinstance(b.const, int):
        return False
    a_lo, a_hi = bounds(a, bits)
    b_lo, b_hi = bounds(b, bits)
    if a_hi * b_hi >= 1 << bits:
        return False
    self.stack.pop_n(2)
    self.push_aligned(Entry(f"({a.expr} * {b.expr})", _refs(a, b), a.impure or b.impure, None,
                            False, 1 + max(a.depth, b.depth), lo=a_lo * b_lo, hi=a_hi * b_hi),
                      a.align * b.align)
    return True


def _wrap(self: FunctionCompiler, name: str) -> bool:
    """``i32.wrap_i64`` of a value that already fits is the value itself."""
    value = self.stack.items[-1]
    if value.hi is None or value.hi > 0xFFFFFFFF:
        return False
    return True  # leave the entry on the stack unchanged


_INT_COMPARISONS = {f"{t}.{op}" for t in ("i32", "i64")
                    for op in ("eqz", "eq", "ne", "lt_u", "gt_u", "le_u", "ge_u",
                               "lt_s", "gt_s", "le_s", "ge_s")}


def _result_range(name: str, entry: Entry, operands: list[Entry]) -> None:
    """Set the bounds (and comparison record) of a generic numeric result."""
    if name in _INT_COMPARISONS:
        entry.compare = (name, operands[0], operands[-1])
        return
    if not name.startswith(("i32.", "i64.")):
        return
    bits = width_of(name)
    op = name.split(".", 1)[1]
    top = (1 << bits) - 1
    if op == "and":
        entry.lo, entry.hi = 0, min(bounds(operands[0], bits)[1], bounds(operands[1], bits)[1])
        entry.align = max(operands[0].align, operands[1].align)
    elif op == "mul":
        entry.align = operands[0].align * operands[1].align
    elif op in ("or", "xor"):
        high = max(bounds(operands[0], bits)[1], bounds(operands[1], bits)[1])
        entry.lo, entry.hi = 0, (1 << high.bit_length()) - 1
    elif op == "rem_u" and isinstance(operands[1].const, int) and operands[1].const > 0:
        entry.lo, entry.hi = 0, min(bounds(operands[0], bits)[1], operands[1].const - 1)
    elif op == "div_u":
        entry.lo, entry.hi = 0, bounds(operands[0], bits)[1] // max(1, bounds(operands[1], bits)[0])
    elif op in ("clz", "ctz", "popcnt"):
        entry.lo, entry.hi = 0, bits
    elif name == "i64.extend_i32_u":
        entry.lo, entry.hi = bounds(operands[0], 32)
    elif op.startswith("wrap") or op.startswith("extend"):
        entry.lo, entry.hi = 0, top


_RANGED_OPS = {"and", "mul", "or", "xor", "rem_u", "div_u", "clz", "ctz", "popcnt"}
"""Integer ops (besides comparisons, wraps and extensions) whose results
:func:`_result_range` knows something about."""

_ORDER = {"lt": "<", "gt": ">", "le": "<=", "ge": ">="}


def _signed_compare(self: FunctionCompiler, name: str) -> bool:
    """Signed comparisons without flipping sign bits when a simpler test is exact.

    Both operands known below the sign bit: the unsigned comparison. Against 0 or -1:
    one comparison with the sign bit (``x < 0`` is ``x >= 2**31``).
    """
    bits = 32 if name.startswith("i32") else 64
    sign = 1 << (bits - 1)
    a, b = self.stack.items[-2], self.stack.items[-1]
    if isinstance(a.const, int) and isinstance(b.const, int):
        return False  # folded by the generic path
    order = name.split(".")[1][:2]
    if bounds(a, bits)[1] < sign and bounds(b, bits)[1] < sign:
        expr = f"({a.expr} {_ORDER[order]} {b.expr})"
    elif b.const == 0 and order in ("lt", "ge"):
        expr = f"({a.expr} {'>=' if order == 'lt' else '<'} {sign})"
    elif b.const == (1 << bits) - 1 and order in ("gt", "le"):
        expr = f"({a.expr} {'<' if order == 'gt' else '>='} {sign})"
    else:
        return False
    self.stack.pop_n(2)
    entry = Entry(expr, _refs(a, b), a.impure or b.impure, None, True,
                  1 + max(a.depth, b.depth))
    entry.compare = (name, a, b)
    self.stack.push(entry)
    return True


_SPECIAL: dict[str, Callable[[FunctionCompiler, str], bool]] = {
    **{f"{t}.{op}_s": _signed_compare for t in ("i32", "i64") for op in _ORDER},
    "i32.add": _wrapping, "i32.sub": _wrapping, "i64.add": _wrapping, "i64.sub": _wrapping,
    "i32.mul": _multiply, "i64.mul": _multiply, "i32.wrap_i64": _wrap,
    **{f"{t}.{op}": _shift for t in ("i32", "i64")
       for op in ("shl", "shr_u", "shr_s", "rotl", "rotr")},
}


_NumericInfo = tuple[str, Callable[["FunctionCompiler", str], bool] | None, OpTemplate, int,
                     bool, "int | None"]
_COMPARE = 1
"""An integer comparison: its result records the comparison (see ``Entry.compare``)."""
_RANGED = 2
"""An integer op whose result range :func:`_result_range` may know."""


def _build_numeric() -> dict[int, _NumericInfo]:
    """Per numeric opcode, what ``op_numeric`` needs: ``(name, special emitter or None,
    template, arity, constant operands may be folded, _COMPARE / _RANGED / None)``."""
    table: dict[int, _NumericInfo] = {}
    for key, info in OPCODES.items():
        template = TEMPLATES.get(info.name)
        if info.feature != "core" or template is None:
            continue
        arity = len(info.params or ())
        if arity not in (1, 2):
            raise RuntimeError(f"numeric template {info.name} takes {arity} operands")
        foldable = not template.traps and "n_" not in template.template
        op = info.name.split(".", 1)[1]
        ranged: int | None = _COMPARE if info.name in _INT_COMPARISONS else _RANGED if (
            info.name.startswith(("i32.", "i64."))
            and (op in _RANGED_OPS or op.startswith(("wrap", "extend")))) else None
        table[key] = (info.name, _SPECIAL.get(info.name), template, arity, foldable, ranged)
    return table


_NUMERIC = _build_numeric()


def _build_handlers() -> dict[int, Any]:
    table: dict[int, Any] = {}
    for key, info in OPCODES.items():
        if info.feature != "core":
            continue
        if info.name in TEMPLATES:
            table[key] = OpsEmitter.op_numeric
        elif info.imm is Imm.MEMARG:
            table[key] = OpsEmitter.op_load if info.results else OpsEmitter.op_store
    named = {
        "i32.const": "op_i32_const", "i64.const": "op_i64_const", "f32.const": "op_f32_const",
        "f64.const": "op_f64_const", "drop": "op_drop", "select": "op_select",
        "select_t": "op_select", "local.get": "op_local_get", "local.set": "op_local_set",
        "local.tee": "op_local_tee", "global.get": "op_global_get",
        "global.set": "op_global_set", "memory.size": "op_memory_size",
        "memory.grow": "op_memory_grow", "memory.fill": "op_memory_fill",
        "memory.copy": "op_memory_copy", "memory.init": "op_memory_init",
        "data.drop": "op_data_drop", "table.get": "op_table_get", "table.set": "op_table_set",
        "table.size": "op_table_size", "table.grow": "op_table_grow",
        "table.fill": "op_table_fill", "table.copy": "op_table_copy",
        "table.init": "op_table_init", "elem.drop": "op_elem_drop", "ref.null": "op_ref_null",
        "ref.is_null": "op_ref_is_null", "ref.func": "op_ref_func",
        "ref.as_non_null": "op_ref_as_non_null", "call": "op_call",
        "return_call": "op_call", "call_indirect": "op_call_indirect",
        "return_call_indirect": "op_call_indirect", "call_ref": "op_call_ref",
        "return_call_ref": "op_call_ref", "nop": "op_nop", "unreachable": "op_unreachable",
        "return": "op_return", "br": "op_br", "br_if": "op_br_if", "br_table": "op_br_table",
        "br_on_null": "op_br_on_null", "br_on_non_null": "op_br_on_non_null",
        "throw": "op_throw", "throw_ref": "op_throw_ref",
    }
    for name, method in named.items():
        table[BY_NAME[name].key] = getattr(OpsEmitter, method)
    return table


OpsEmitter.HANDLERS = _build_handlers()
