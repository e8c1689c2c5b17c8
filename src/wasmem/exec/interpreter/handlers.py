"""Per-instruction handlers of the interpreter's decoder (see :mod:`.decode`).

Each handler pops the symbolic entries its instruction consumes, pushes what it
produces and emits the instruction's :class:`~.decode.IROp`. The table
:data:`HANDLERS` is built from the one opcode table: every numeric row gets the numeric
handler, every computing SIMD row the SIMD one, memory rows the load and store
handlers, and the rest are named here. Rows without a handler (GC) are unsupported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...errors import UnsupportedFeature
from ...syntax.instructions import Instruction
from ...syntax.opcodes import BY_NAME, OPCODES, Imm, Op
from ...syntax.opcodes import TAIL_CALLS as TAIL_CALL_OPCODES
from . import memory as mem_ops
from . import ops
from .decode import NEGATED, FunctionDecoder
from .inline import COMMUTATIVE, HOT, TAIL_CALLS, call_factory
from .ops import Const, Factory
from ..numeric import NUMERIC_BY_KEY, f32_from_bits, f64_from_bits

__all__ = ["HANDLERS", "Handler"]

_list_delitem = list.__delitem__
_list_pop = list.pop  # (the decoder's stack overrides pop: handlers pop written out)

Handler = Callable[["FunctionDecoder", Instruction], None]


NumericFacts = tuple[str, int, Any, bool, bool, bool]
_NUMERIC_FACTS: dict[int, NumericFacts] = {}
"""Opcode key -> (text name, operand count, the inline factories by shape or None,
commutative, an ``eqz``, fusable with a branch), made on first use."""

_EQZ = frozenset(("i32.eqz", "i64.eqz"))


def _numeric_facts(key: int) -> NumericFacts:
    facts = _NUMERIC_FACTS.get(key)
    if facts is None:
        info = OPCODES[key]
        name = info.name
        hot = HOT.get(name)
        facts = _NUMERIC_FACTS[key] = (
            name, len(info.params or ()), None if hot is None else hot.value,
            name in COMMUTATIVE, name in _EQZ, hot is not None and bool(hot.branch))
    return facts


def _numeric(d: FunctionDecoder, ins: Instruction) -> None:
    name, arity, forms, commutative, eqz, fuses = (
        _NUMERIC_FACTS.get(ins.opcode) or _numeric_facts(ins.opcode))
    stack = d.stack
    h = len(stack)
    make: Factory
    operands: tuple[Any, ...]
    shape = ""
    negated = None
    if forms is not None and arity == 2:
        a, b = stack[h - 2], stack[h - 1]
        b_const = isinstance(b, Const)
        a_const = isinstance(a, Const)
        if a_const and not b_const and commutative:
            a, b = b, a
            a_const, b_const = False, True
        _list_delitem(stack, slice(h - 2, None))  # del stack[h - 2:], written out
        if h - 2 < stack.low:
            stack.low = h - 2
        if a_const and not b_const:  # a constant first (1 << n)
            shape, operands = "cr", (a.value, b)
        else:
            first = d.register(a, h - 2) if a_const else a
            if b_const:
                shape, operands = "rc", (first, b.value)
            else:
                shape, operands = "rr", (first, b)
        make = forms[shape]
    elif forms is not None:
        shape = "r"
        entry = _list_pop(stack)  # d.stack.pop(), written out
        if h - 1 < stack.low:
            stack.low = h - 1
        if isinstance(entry, Const):
            operands = (d.register(entry, h - 1),)
        else:
            if (eqz and d.redirectable(entry) and d.fusions[-1] is not None
                    and d.fusions[-1][0] != NEGATED):
                negated = d.fusions[-1]  # eqz of a comparison or a tested value
            operands = (entry,)
        make = forms[shape]
    else:
        fn = NUMERIC_BY_KEY[ins.opcode]
        if arity == 2 and isinstance(d.stack[-1], Const):
            b = d.stack.pop()
            first = d.register(d.stack.pop(), h - 2)
            make, operands = ops.op_binary_const, (fn, first, b.value)
        else:
            registers = d.pop_registers(arity)
            make = ops.op_unary if arity == 1 else ops.op_binary
            operands = (fn, *registers)
    height = len(stack)  # d.push(), written out (pushes where an operand was)
    dest = d.base + height
    stack.append(dest)
    if height >= d.max_height:
        d.max_height = height + 1
    fusion = (name, shape, operands) if fuses else None
    if negated is not None:  # a branch on this eqz may absorb it and what it tests
        fusion = (NEGATED, "", negated)
    d.emit_value(make, dest, operands, fusion)


_SIMD_OPS: dict[str, Any] = {}
""":data:`wasmem.exec.numeric.simd.SIMD_OPS`, imported when a SIMD instruction is first
decoded (most modules have none; the SIMD modules take a millisecond to import)."""


def _simd(d: FunctionDecoder, ins: Instruction) -> None:
    info = OPCODES[ins.opcode]
    if not _SIMD_OPS:
        from ..numeric.simd import SIMD_OPS
        _SIMD_OPS.update(SIMD_OPS)
    fn = _SIMD_OPS.get(info.name)
    if fn is None:  # (as for an instruction without a handler: see FunctionDecoder.decode)
        raise UnsupportedFeature(info.feature, f"instruction {info.name} is not supported "
                                 "by the interpreter")
    registers = d.pop_registers(len(info.params or ()))
    dest = d.push()
    make: Factory
    if info.imm in (Imm.LANE, Imm.SHUFFLE):
        make = ops.op_unary_imm if len(registers) == 1 else ops.op_binary_imm
        d.emit(make, dest, fn, *registers, ins.immediates[0], reusable=True)
        return
    make = (ops.op_unary, ops.op_binary, ops.op_ternary)[len(registers) - 1]
    d.emit(make, dest, fn, *registers, reusable=True)


def _const(d: FunctionDecoder, ins: Instruction) -> None:
    stack = d.stack  # push_entry, written out for the commonest instruction
    stack.append(Const(ins.immediates[0]))
    if len(stack) > d.max_height:
        d.max_height = len(stack)


def _f32_const(d: FunctionDecoder, ins: Instruction) -> None:
    d.push_entry(Const(f32_from_bits(ins.immediates[0])))


def _f64_const(d: FunctionDecoder, ins: Instruction) -> None:
    d.push_entry(Const(f64_from_bits(ins.immediates[0])))


def _ref_null(d: FunctionDecoder, ins: Instruction) -> None:
    d.push_entry(Const(None))


def _nop(d: FunctionDecoder, ins: Instruction) -> None:
    pass


def _drop(d: FunctionDecoder, ins: Instruction) -> None:
    d.stack.pop()


def _select(d: FunctionDecoder, ins: Instruction) -> None:
    a, b, condition = d.pop_registers(3)
    d.emit_value(ops.op_select, d.push(), (a, b, condition))


def _local_get(d: FunctionDecoder, ins: Instruction) -> None:
    index = ins.immediates[0]  # push_entry of a local, written out
    stack = d.stack
    refs = d.local_refs.get(index)
    if refs is None:
        d.local_refs[index] = [len(stack)]
    else:
        refs.append(len(stack))
    stack.append(index)
    if len(stack) > d.max_height:
        d.max_height = len(stack)


def _local_set(d: FunctionDecoder, ins: Instruction) -> None:
    index = ins.immediates[0]
    stack = d.stack
    entry = _list_pop(stack)  # d.stack.pop(), written out
    if len(stack) < stack.low:
        stack.low = len(stack)
    if isinstance(entry, Const) or entry != index:
        if index in d.local_refs:  # (else spilling it finds nothing to do)
            d.spill_local(index)
        if isinstance(entry, Const):
            d.emit_plain(ops.op_set_const, index, (entry.value,))
        elif (d.last == len(d.makes) - 1 and entry >= d.base
              and d.dests[-1] == entry):  # d.redirectable(entry), written out
            d.dests[-1] = index  # (the op computing it writes the local)
            d.last = -1
        else:
            d.emit_plain(ops.op_copy, index, (entry,))
    if ins.opcode == _LOCAL_TEE:
        d.push_entry(index)


def _global_get(d: FunctionDecoder, ins: Instruction) -> None:
    d.emit_value(ops.op_global_get, d.push(), (ins.immediates[0],))


def _global_set(d: FunctionDecoder, ins: Instruction) -> None:
    entry = d.stack.pop()
    if isinstance(entry, Const):
        d.emit_plain(ops.op_global_set_const, -1, (ins.immediates[0], entry.value))
    else:
        d.emit_plain(ops.op_global_set, -1, (ins.immediates[0], entry))


def _unreachable(d: FunctionDecoder, ins: Instruction) -> None:
    d.emit(ops.op_unreachable, -1)
    d.unreachable = True


def _br(d: FunctionDecoder, ins: Instruction) -> None:
    frame = d.frames[0] if ins.opcode == _RETURN else d.frames[-1 - ins.immediates[0]]
    d.emit_plain(ops.op_br, -1, (frame.label, d.moves(frame)))
    d.unreachable = True


def _br_if(d: FunctionDecoder, ins: Instruction) -> None:
    frame = d.frames[-1 - ins.immediates[0]]
    stack = d.stack
    condition = _list_pop(stack)  # d.stack.pop(), written out
    if len(stack) < stack.low:
        stack.low = len(stack)
    d.branch_on(condition, frame.label, negate=False,
                moves=d.moves(frame) if frame.arity else ())


def _br_table(d: FunctionDecoder, ins: Instruction) -> None:
    labels, default = ins.immediates
    index = d.register(d.stack.pop(), len(d.stack))
    # one (label, moves) per distinct depth: a switch's table names few labels many
    # times, and the program keeps these for as long as its module lives
    by_depth: dict[int, tuple[Any, Any]] = {}
    frames = d.frames
    for depth in dict.fromkeys(labels):  # (each distinct depth once, in order)
        frame = frames[-1 - depth]
        by_depth[depth] = (frame.label, d.moves(frame))
    targets = tuple(map(by_depth.__getitem__, labels))
    frame = frames[-1 - default]
    d.emit_plain(ops.op_br_table, -1, (index, targets, (frame.label, d.moves(frame))))
    d.unreachable = True


def _br_on_null(d: FunctionDecoder, ins: Instruction) -> None:
    frame = d.frames[-1 - ins.immediates[0]]
    ref = d.register(d.stack.pop(), len(d.stack))
    d.emit(ops.op_br_on_null, -1, ref, frame.label, d.moves(frame))
    d.push_entry(ref)


def _br_on_non_null(d: FunctionDecoder, ins: Instruction) -> None:
    frame = d.frames[-1 - ins.immediates[0]]
    if isinstance(d.stack[-1], Const):
        d.materialize(len(d.stack) - 1)
    ref = d.stack[-1]
    d.emit(ops.op_br_on_non_null, -1, ref, frame.label, d.moves(frame))
    d.stack.pop()


_TAIL = TAIL_CALL_OPCODES
_DIRECT_CALLS = (Op.CALL, Op.RETURN_CALL)
_INDIRECT_CALLS = (Op.CALL_INDIRECT, Op.RETURN_CALL_INDIRECT)
_LOCAL_TEE, _RETURN = Op.LOCAL_TEE, Op.RETURN


def _call(d: FunctionDecoder, ins: Instruction) -> None:
    op = ins.opcode
    target: Any
    if op in _DIRECT_CALLS:
        kind, ft, target = "direct", d.info.function_types[ins.immediates[0]], ins.immediates[0]
    elif op in _INDIRECT_CALLS:
        type_index, table = ins.immediates
        kind, ft = "indirect", d.info.module.types[type_index]
        target = (table, type_index, d.register(d.stack.pop(), len(d.stack)))
    else:
        kind, ft = "ref", d.info.module.types[ins.immediates[0]]
        target = d.register(d.stack.pop(), len(d.stack))
    arguments = d.pop_registers(len(ft.params))
    results = len(ft.results)
    if op in _TAIL:
        d.emit(TAIL_CALLS[kind], -1, target, results, *arguments)
        d.unreachable = True
        return
    dest = d.base + len(d.stack)
    for _ in range(results):
        d.push()
    make = call_factory(kind, len(arguments))
    if results == 1:  # (a local.set after it may redirect its result)
        d.emit_value(make, dest, (target, results, *arguments))
    else:
        d.emit_plain(make, dest, (target, results, *arguments))


def _throw(d: FunctionDecoder, ins: Instruction) -> None:
    tag = ins.immediates[0]
    values = d.pop_registers(len(d.info.tag_types[tag].params))
    d.emit(ops.op_throw, -1, tag, tuple(values))
    d.unreachable = True


def _throw_ref(d: FunctionDecoder, ins: Instruction) -> None:
    d.emit(ops.op_throw_ref, -1, d.pop_registers(1)[0])
    d.unreachable = True


_ADD_FORMS: dict[Any, int] = {HOT["i32.add"].value["rc"]: 2, HOT["i32.add"].value["rr"]: 3}
"""The ``i32.add`` closures an access may absorb, and where the access forms
(:func:`_access_forms`) keep the form that does ("ac", "ar")."""

AccessForms = tuple[Factory, Factory, Factory, Factory]
_ACCESS_FORMS: dict[tuple[str, str], AccessForms] = {}
_LOAD_FORMS: dict[int, AccessForms] = {}
"""Load opcode key -> its access forms, made on first use."""
_STORE_FORMS: dict[int, tuple[AccessForms, AccessForms]] = {}
"""Store opcode key -> its access forms for a register value and a constant one."""


def _access_forms(name: str, kind: str) -> AccessForms:
    """The factories of access ``name`` (kind "" a load, "r"/"c" a store of a register or
    a constant): the plain access, then :data:`.memory.ADDRESSED`'s "k", "ac", "ar"."""
    forms = _ACCESS_FORMS.get((name, kind))
    if forms is None:
        addressed = mem_ops.ADDRESSED
        plain = (mem_ops.LOADS if not kind else
                 mem_ops.STORES if kind == "r" else mem_ops.STORES_CONST)[name]
        forms = _ACCESS_FORMS[name, kind] = (
            plain, addressed[name, kind, "k"], addressed[name, kind, "ac"],
            addressed[name, kind, "ar"])
    return forms


def _address(d: FunctionDecoder, forms: AccessForms) -> tuple[Factory, Any, tuple[Any, ...]]:
    """Pop an access's address: ``(factory, address operand, extra operands)``. A
    constant address and an address the last closure adds up (``i32.add``, its result
    used only here) are folded into the access (:data:`.memory.ADDRESSED`); the fused
    closure takes the add's place, at the access's position."""
    stack = d.stack
    entry = _list_pop(stack)  # d.stack.pop(), written out
    if len(stack) < stack.low:
        stack.low = len(stack)
    if isinstance(entry, Const):
        return forms[1], entry.value, ()
    if d.last == len(d.makes) - 1 and entry >= d.base and d.dests[-1] == entry:
        # (d.redirectable(entry), written out)
        form = _ADD_FORMS.get(d.makes[-1])
        if form is not None:
            base, addend = d.args[-1]
            d.retract()
            return forms[form], base, (addend,)
    return forms[0], entry, ()


def _load(d: FunctionDecoder, ins: Instruction) -> None:
    _align, offset, memory = ins.immediates
    forms = _LOAD_FORMS.get(ins.opcode)
    if forms is None:
        forms = _LOAD_FORMS[ins.opcode] = _access_forms(OPCODES[ins.opcode].name, "")
    make, address, extra = _address(d, forms)
    stack = d.stack  # d.push(), written out
    height = len(stack)
    dest = d.base + height
    stack.append(dest)
    if height >= d.max_height:
        d.max_height = height + 1
    d.emit_value(make, dest, (memory, address, offset, *extra))


def _store(d: FunctionDecoder, ins: Instruction) -> None:
    _align, offset, memory = ins.immediates
    both = _STORE_FORMS.get(ins.opcode)
    if both is None:
        name = OPCODES[ins.opcode].name
        both = _STORE_FORMS[ins.opcode] = (_access_forms(name, "r"), _access_forms(name, "c"))
    stack = d.stack
    value = _list_pop(stack)  # d.stack.pop(), written out
    if len(stack) < stack.low:
        stack.low = len(stack)
    if isinstance(value, Const):
        make, address, extra = _address(d, both[1])
        d.emit_plain(make, -1, (memory, address, offset, value.value, *extra))
    else:
        make, address, extra = _address(d, both[0])
        d.emit_plain(make, -1, (memory, address, offset, value, *extra))


def _simd_memory(d: FunctionDecoder, ins: Instruction) -> None:
    info = OPCODES[ins.opcode]
    make = mem_ops.SIMD_MEMORY[info.name]
    if info.imm is Imm.MEMARG_LANE:
        _align, offset, memory, lane = ins.immediates
        address, vector = d.pop_registers(2)
        dest = d.push() if info.results else -1
        d.emit(make, dest, memory, address, offset, vector, lane)
        return
    _align, offset, memory = ins.immediates
    if info.results:
        address = d.pop_registers(1)[0]
        d.emit(make, d.push(), memory, address, offset, reusable=True)
    else:
        address, value = d.pop_registers(2)
        d.emit(make, -1, memory, address, offset, value)


def _with_registers(make: Factory, count: int, result: bool) -> Handler:
    """A handler: pop ``count`` registers, pass the immediates first, maybe push a result."""
    def handler(d: FunctionDecoder, ins: Instruction) -> None:
        registers = d.pop_registers(count)
        dest = d.push() if result else -1
        d.emit(make, dest, *ins.immediates, *registers, reusable=result)
    return handler


def _build_handlers() -> dict[int, Handler]:
    table: dict[int, Handler] = {}
    memarg, memarg_lane = Imm.MEMARG, Imm.MEMARG_LANE  # (named once: 0.15 us a lookup)
    for key, info in OPCODES.items():
        if key in NUMERIC_BY_KEY:
            table[key] = _numeric
        elif info.feature == "simd" and (info.imm is memarg or info.imm is memarg_lane):
            table[key] = _simd_memory
        elif info.feature == "simd":  # (v128.const, the one without an operator, is named)
            table[key] = _simd
        elif info.imm is memarg:
            table[key] = _load if info.results else _store
    named: dict[str, Handler] = {
        "i32.const": _const, "i64.const": _const, "v128.const": _const,
        "f32.const": _f32_const, "f64.const": _f64_const, "ref.null": _ref_null,
        "nop": _nop, "drop": _drop, "select": _select, "select_t": _select,
        "local.get": _local_get, "local.set": _local_set, "local.tee": _local_set,
        "global.get": _global_get, "global.set": _global_set,
        "unreachable": _unreachable, "br": _br, "return": _br, "br_if": _br_if,
        "br_table": _br_table, "br_on_null": _br_on_null, "br_on_non_null": _br_on_non_null,
        "call": _call, "return_call": _call, "call_indirect": _call,
        "return_call_indirect": _call, "call_ref": _call, "return_call_ref": _call,
        "throw": _throw, "throw_ref": _throw_ref,
        "memory.size": _with_registers(mem_ops.op_memory_size, 0, True),
        "memory.grow": _with_registers(mem_ops.op_memory_grow, 1, True),
        "memory.fill": _with_registers(mem_ops.op_memory_fill, 3, False),
        "memory.copy": _with_registers(mem_ops.op_memory_copy, 3, False),
        "memory.init": _with_registers(mem_ops.op_memory_init, 3, False),
        "data.drop": _with_registers(mem_ops.op_data_drop, 0, False),
        "table.get": _with_registers(mem_ops.op_table_get, 1, True),
        "table.set": _with_registers(mem_ops.op_table_set, 2, False),
        "table.size": _with_registers(mem_ops.op_table_size, 0, True),
        "table.grow": _with_registers(mem_ops.op_table_grow, 2, True),
        "table.fill": _with_registers(mem_ops.op_table_fill, 3, False),
        "table.copy": _with_registers(mem_ops.op_table_copy, 3, False),
        "table.init": _with_registers(mem_ops.op_table_init, 3, False),
        "elem.drop": _with_registers(mem_ops.op_elem_drop, 0, False),
        "ref.is_null": _with_registers(ops.op_ref_is_null, 1, True),
        "ref.func": _with_registers(ops.op_ref_func, 0, True),
        "ref.as_non_null": _with_registers(ops.op_ref_as_non_null, 1, True),
    }
    for name, handler in named.items():
        table[BY_NAME[name].key] = handler
    return table


HANDLERS: dict[int, Handler] = _build_handlers()
"""Opcode key -> decoder handler, built from the one opcode table."""

FunctionDecoder.handlers = HANDLERS
