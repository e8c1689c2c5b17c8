"""Typing rules of the instructions (spec "Validation / Instructions").

Instructions with a fixed signature in the opcode table (numeric, most SIMD) are
checked by the driver in :mod:`wasmem.valid.code` directly from ``params``/``results``;
this module holds a handler for every other instruction, in :data:`HANDLERS`
(opcode key -> ``handler(checker, instruction)``). Structured instructions (block,
loop, if, try_table) are entered by :func:`enter_block`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import UnsupportedFeature, ValidationError
from ..syntax.instructions import Block, Instruction
from ..syntax.opcodes import OPCODES, Imm, Op, OpInfo
from ..syntax.types import (
    EXNREF,
    FUNCREF,
    I32,
    I64,
    V128,
    AbsHeapType,
    NumType,
    RefType,
    ValType,
    VecType,
)
from .limits import check_br_table
from .stack import CodeChecker
from .types import BOT, BOT_HEAP, check_heap_type, check_val_type, match_ref_type, types_string

__all__ = ["BINARY", "HANDLERS", "NULLARY", "SIMPLE", "UNARY", "enter_block", "gc_unsupported"]

Handler = Callable[[CodeChecker, Instruction], None]
HANDLERS: dict[int, Handler] = {}
"""Handlers of the instructions whose typing needs more than the opcode table."""

SIMPLE: dict[int, tuple[tuple[ValType, ...], tuple[ValType, ...]]] = {}
"""Instructions typed by their fixed ``params -> results`` alone."""
BINARY: dict[int, tuple[ValType, ValType, ValType]] = {}
"""The SIMPLE instructions ``[a b] -> [r]``, as ``(a, b, r)``: the validators' fast path."""
UNARY: dict[int, tuple[ValType, ValType]] = {}
"""The SIMPLE instructions ``[a] -> [r]``, as ``(a, r)``."""
NULLARY: dict[int, ValType] = {}
"""The SIMPLE instructions ``[] -> [r]`` (constants), as ``r``."""
# (SIMPLE, BINARY, UNARY, NULLARY and the handlers chosen by an opcode's immediates or
# feature are filled by ``_fill_tables`` at the end of this module)

_EXN_NON_NULL = RefType(False, AbsHeapType.EXN)


def _handles(*keys: int) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for key in keys:
            HANDLERS[key] = handler
        return handler
    return register


def gc_unsupported(c: CodeChecker, ins: Instruction) -> None:
    """Raise UnsupportedFeature("gc") for a GC instruction."""
    name = OPCODES[ins.opcode].name
    raise UnsupportedFeature("gc", f"{name}: GC instructions are not supported",
                             file=c.file)


def _min_address(a: NumType, b: NumType) -> NumType:
    return I32 if a is I32 or b is I32 else I64


# ---------------------------------------------------------------- control

def enter_block(c: CodeChecker, ins: Block) -> None:
    """Enter block/loop/if/try_table: pop the inputs, check catch clauses, push a frame."""
    immediates = ins.immediates
    params, results = c.block_type(immediates[0], ins)
    op = ins.opcode
    if op == Op.IF:
        c.pop_vals((*params, I32), ins)
    else:
        c.pop_vals(params, ins)
        if op == Op.TRY_TABLE:
            for catch in immediates[1]:
                _check_catch(c, catch, ins)
    c.push_frame(op, params, results, ins, ins.body)


def _check_catch(c: CodeChecker, catch: object, ins: Instruction) -> None:
    kind = getattr(catch, "kind", None)
    label = c.label(getattr(catch, "label", -1), ins)
    if kind in (0, 1):
        tag_type = c.lookup(c.context.tags, getattr(catch, "tag", None), "tag", ins)
        caught: tuple[ValType, ...] = c.func_type(tag_type, ins).params
        if kind == 1:
            caught = (*caught, _EXN_NON_NULL)
    elif kind == 2:
        caught = ()
    elif kind == 3:
        caught = (_EXN_NON_NULL,)
    else:
        c.fail(f"invalid catch clause kind {kind}", ins)
    names = ("catch", "catch_ref", "catch_all", "catch_all_ref")
    labels = label.labels
    if len(caught) != len(labels) or not all(
            c.matches(a, e) for a, e in zip(caught, labels)):
        c.fail(f"type mismatch: {names[kind]} clause delivers {types_string(caught)} "
               f"but its label expects {types_string(labels)}", ins)


@_handles(Op.UNREACHABLE)
def _unreachable(c: CodeChecker, ins: Instruction) -> None:
    c.set_unreachable()


@_handles(Op.BR)
def _br(c: CodeChecker, ins: Instruction) -> None:
    frame = c.label(ins.immediates[0], ins)
    c.pop_vals(frame.labels, ins)
    c.set_unreachable()


@_handles(Op.BR_IF)
def _br_if(c: CodeChecker, ins: Instruction) -> None:
    labels = c.label(ins.immediates[0], ins).labels
    c.pop_vals((*labels, I32), ins)
    c.vals.extend(labels)


@_handles(Op.BR_TABLE)
def _br_table(c: CodeChecker, ins: Instruction) -> None:
    targets, default = ins.immediates
    try:
        check_br_table(targets)
    except ValidationError as error:
        c.located(error, ins)
    c.pop_vals((I32,), ins)
    default_labels = c.label(default, ins).labels
    arity = len(default_labels)
    checked = {id(default_labels)}  # label types are shared tuples: check each once
    ctrls = c.ctrls
    count = len(ctrls)
    # each depth once, in the order of its first appearance (a switch's table repeats
    # a few depths many times; the first failing target is the same)
    for depth in dict.fromkeys(targets):
        if not 0 <= depth < count:
            c.label(depth, ins)  # (raises "unknown label")
        labels = ctrls[-1 - depth].labels
        if id(labels) in checked:
            continue
        if len(labels) != arity:
            c.fail(f"type mismatch: br_table target {depth} expects {types_string(labels)} "
                   f"but the default target {default} expects "
                   f"{types_string(default_labels)}", ins)
        c.vals.extend(c.pop_vals(labels, ins))
        checked.add(id(labels))
    c.pop_vals(default_labels, ins)
    c.set_unreachable()


@_handles(Op.RETURN)
def _return(c: CodeChecker, ins: Instruction) -> None:
    c.pop_vals(c.returns, ins)
    c.set_unreachable()


def _function_type_index(c: CodeChecker, ins: Instruction) -> int:
    index = c.lookup(c.context.functions, ins.immediates[0], "function", ins)
    return index  # type: ignore[return-value]


def _check_tail_results(c: CodeChecker, results: tuple[ValType, ...],
                        ins: Instruction) -> None:
    returns = c.returns
    if len(results) != len(returns) or not all(
            c.matches(a, e) for a, e in zip(results, returns)):
        c.fail(f"type mismatch: tail call returns {types_string(results)} but the "
               f"function returns {types_string(returns)}", ins)


@_handles(Op.CALL, Op.RETURN_CALL)
def _call(c: CodeChecker, ins: Instruction) -> None:
    func_type = c.func_type(_function_type_index(c, ins), ins)
    c.pop_vals(func_type.params, ins)
    if ins.opcode == Op.RETURN_CALL:
        _check_tail_results(c, func_type.results, ins)
        c.set_unreachable()
    else:
        c.vals.extend(func_type.results)


@_handles(Op.CALL_INDIRECT, Op.RETURN_CALL_INDIRECT)
def _call_indirect(c: CodeChecker, ins: Instruction) -> None:
    type_index, table_index = ins.immediates
    table = c.lookup(c.context.tables, table_index, "table", ins)
    element = table.element  # type: ignore[attr-defined]
    if not match_ref_type(element, FUNCREF, c.types):
        c.fail(f"type mismatch: call_indirect needs a table of functions, but table "
               f"{table_index} holds {element}", ins)
    func_type = c.func_type(type_index, ins)
    c.pop_vals((*func_type.params, table.address_type), ins)  # type: ignore[attr-defined]
    if ins.opcode == Op.RETURN_CALL_INDIRECT:
        _check_tail_results(c, func_type.results, ins)
        c.set_unreachable()
    else:
        c.vals.extend(func_type.results)


@_handles(Op.CALL_REF, Op.RETURN_CALL_REF)
def _call_ref(c: CodeChecker, ins: Instruction) -> None:
    type_index = ins.immediates[0]
    func_type = c.func_type(type_index, ins)
    c.pop_vals((*func_type.params, RefType(True, type_index)), ins)
    if ins.opcode == Op.RETURN_CALL_REF:
        _check_tail_results(c, func_type.results, ins)
        c.set_unreachable()
    else:
        c.vals.extend(func_type.results)


@_handles(Op.THROW)
def _throw(c: CodeChecker, ins: Instruction) -> None:
    tag_type = c.lookup(c.context.tags, ins.immediates[0], "tag", ins)
    c.pop_vals(c.func_type(tag_type, ins).params, ins)
    c.set_unreachable()


@_handles(Op.THROW_REF)
def _throw_ref(c: CodeChecker, ins: Instruction) -> None:
    c.pop_vals((EXNREF,), ins)
    c.set_unreachable()


# ---------------------------------------------------------------- parametric

@_handles(Op.DROP)
def _drop(c: CodeChecker, ins: Instruction) -> None:
    c.pop_any(ins)


@_handles(Op.SELECT)
def _select(c: CodeChecker, ins: Instruction) -> None:
    c.pop_vals((I32,), ins)
    first = c.pop_any(ins)
    second = c.pop_any(ins)
    for t in (first, second):
        if not (t is BOT or isinstance(t, (NumType, VecType))):
            c.fail(f"type mismatch: select without a type needs number or vector operands "
                   f"but found {t}; write select (result {t})", ins)
    if first is not BOT and second is not BOT and first is not second:
        c.fail(f"type mismatch: select operands must have the same type but are "
               f"{second} and {first}", ins)
    c.vals.append(second if first is BOT else first)


@_handles(Op.SELECT_T)
def _select_t(c: CodeChecker, ins: Instruction) -> None:
    value_types = ins.immediates[0]
    if len(value_types) != 1:
        c.fail(f"invalid result arity: select must have exactly one result type, "
               f"not {len(value_types)}", ins)
    t = value_types[0]
    try:
        check_val_type(t, len(c.types))
    except ValidationError as error:
        c.located(error, ins)
    c.pop_vals((t, t, I32), ins)
    c.vals.append(t)


# ---------------------------------------------------------------- variables

def _local(c: CodeChecker, ins: Instruction) -> int:
    index = ins.immediates[0]
    count = len(c.local_types)
    if not (isinstance(index, int) and 0 <= index < count):
        c.fail(f"unknown local {index}: the function has {count} "
               f"local{'' if count == 1 else 's'} (parameters included)", ins)
    return index


@_handles(Op.LOCAL_GET)
def _local_get(c: CodeChecker, ins: Instruction) -> None:
    index = _local(c, ins)
    if not c.local_set[index]:
        c.fail(f"uninitialized local {index} of non-defaultable type "
               f"{c.local_types[index]}: set it before reading it", ins)
    c.vals.append(c.local_types[index])


@_handles(Op.LOCAL_SET, Op.LOCAL_TEE)
def _local_set(c: CodeChecker, ins: Instruction) -> None:
    index = _local(c, ins)
    t = c.local_types[index]
    c.pop_vals((t,), ins)
    if not c.local_set[index]:
        c.local_set[index] = True
        c.inits.append(index)
    if ins.opcode == Op.LOCAL_TEE:
        c.vals.append(t)


@_handles(Op.GLOBAL_GET)
def _global_get(c: CodeChecker, ins: Instruction) -> None:
    global_type = c.lookup(c.context.globals, ins.immediates[0], "global", ins)
    c.vals.append(global_type.value_type)  # type: ignore[attr-defined]


@_handles(Op.GLOBAL_SET)
def _global_set(c: CodeChecker, ins: Instruction) -> None:
    index = ins.immediates[0]
    global_type = c.lookup(c.context.globals, index, "global", ins)
    if not global_type.mutable:  # type: ignore[attr-defined]
        c.fail(f"immutable global {index} cannot be set (global is immutable)", ins)
    c.pop_vals((global_type.value_type,), ins)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- tables

def _table(c: CodeChecker, index: object, ins: Instruction) -> tuple[NumType, RefType]:
    table = c.lookup(c.context.tables, index, "table", ins)
    return table.address_type, table.element  # type: ignore[attr-defined]


@_handles(Op.TABLE_GET)
def _table_get(c: CodeChecker, ins: Instruction) -> None:
    address, element = _table(c, ins.immediates[0], ins)
    c.pop_vals((address,), ins)
    c.vals.append(element)


@_handles(Op.TABLE_SET)
def _table_set(c: CodeChecker, ins: Instruction) -> None:
    address, element = _table(c, ins.immediates[0], ins)
    c.pop_vals((address, element), ins)


@_handles(Op.TABLE_SIZE)
def _table_size(c: CodeChecker, ins: Instruction) -> None:
    address, _ = _table(c, ins.immediates[0], ins)
    c.vals.append(address)


@_handles(Op.TABLE_GROW)
def _table_grow(c: CodeChecker, ins: Instruction) -> None:
    address, element = _table(c, ins.immediates[0], ins)
    c.pop_vals((element, address), ins)
    c.vals.append(address)


@_handles(Op.TABLE_FILL)
def _table_fill(c: CodeChecker, ins: Instruction) -> None:
    address, element = _table(c, ins.immediates[0], ins)
    c.pop_vals((address, element, address), ins)


@_handles(Op.TABLE_COPY)
def _table_copy(c: CodeChecker, ins: Instruction) -> None:
    destination, source = ins.immediates
    address_d, element_d = _table(c, destination, ins)
    address_s, element_s = _table(c, source, ins)
    if not match_ref_type(element_s, element_d, c.types):
        c.fail(f"type mismatch: table.copy from table {source} of {element_s} "
               f"to table {destination} of {element_d}", ins)
    c.pop_vals((address_d, address_s, _min_address(address_d, address_s)), ins)


@_handles(Op.TABLE_INIT)
def _table_init(c: CodeChecker, ins: Instruction) -> None:
    elem_index, table_index = ins.immediates
    address, element = _table(c, table_index, ins)
    segment_type = c.lookup(c.context.elems, elem_index, "elem segment", ins)
    if not match_ref_type(segment_type, element, c.types):  # type: ignore[arg-type]
        c.fail(f"type mismatch: table.init of elem segment {elem_index} of {segment_type} "
               f"into table {table_index} of {element}", ins)
    c.pop_vals((address, I32, I32), ins)


@_handles(Op.ELEM_DROP)
def _elem_drop(c: CodeChecker, ins: Instruction) -> None:
    c.lookup(c.context.elems, ins.immediates[0], "elem segment", ins)


# ---------------------------------------------------------------- memories

def _memory_address(c: CodeChecker, index: object, ins: Instruction) -> NumType:
    memory = c.lookup(c.context.memories, index, "memory", ins)
    return memory.address_type  # type: ignore[attr-defined, no-any-return]


def _memarg(c: CodeChecker, info: OpInfo, ins: Instruction) -> NumType:
    align, offset, memory_index = ins.immediates[:3]
    address = _memory_address(c, memory_index, ins)
    natural = info.natural_alignment
    if not 0 <= align <= natural:
        declared = f"{1 << align}" if 0 <= align <= 64 else f"2**{align}"
        c.fail(f"alignment must not be larger than natural: {info.name} accesses "
               f"{info.memory_size} bytes but declares align={declared}", ins)
    limit = 32 if address is I32 else 64
    if not 0 <= offset < 1 << limit:
        c.fail(f"offset out of range: {offset} does not fit in the {limit}-bit address "
               f"space of memory {memory_index}", ins)
    return address


def _load(c: CodeChecker, ins: Instruction) -> None:
    info = OPCODES[ins.opcode]
    address = _memarg(c, info, ins)
    c.pop_vals((address,), ins)
    c.vals.append(info.results[0])  # type: ignore[index]


def _store(c: CodeChecker, ins: Instruction) -> None:
    info = OPCODES[ins.opcode]
    address = _memarg(c, info, ins)
    c.pop_vals((address, info.memory_type), ins)  # type: ignore[arg-type]


def _lane_memory(c: CodeChecker, ins: Instruction) -> None:
    info = OPCODES[ins.opcode]
    address = _memarg(c, info, ins)
    lane = ins.immediates[3]
    lanes = 16 // info.memory_size
    if not 0 <= lane < lanes:
        c.fail(f"invalid lane index {lane}: {info.name} has {lanes} lanes", ins)
    c.pop_vals((address, V128), ins)
    if info.results:
        c.vals.append(V128)




@_handles(Op.MEMORY_SIZE)
def _memory_size(c: CodeChecker, ins: Instruction) -> None:
    c.vals.append(_memory_address(c, ins.immediates[0], ins))


@_handles(Op.MEMORY_GROW)
def _memory_grow(c: CodeChecker, ins: Instruction) -> None:
    address = _memory_address(c, ins.immediates[0], ins)
    c.pop_vals((address,), ins)
    c.vals.append(address)


@_handles(Op.MEMORY_FILL)
def _memory_fill(c: CodeChecker, ins: Instruction) -> None:
    address = _memory_address(c, ins.immediates[0], ins)
    c.pop_vals((address, I32, address), ins)


@_handles(Op.MEMORY_COPY)
def _memory_copy(c: CodeChecker, ins: Instruction) -> None:
    destination, source = ins.immediates
    address_d = _memory_address(c, destination, ins)
    address_s = _memory_address(c, source, ins)
    c.pop_vals((address_d, address_s, _min_address(address_d, address_s)), ins)


@_handles(Op.MEMORY_INIT)
def _memory_init(c: CodeChecker, ins: Instruction) -> None:
    data_index, memory_index = ins.immediates
    address = _memory_address(c, memory_index, ins)
    _data(c, data_index, ins)
    c.pop_vals((address, I32, I32), ins)


def _data(c: CodeChecker, index: object, ins: Instruction) -> None:
    count = c.context.data_count
    if not (isinstance(index, int) and 0 <= index < count):
        c.fail(f"unknown data segment {index}: the module has {count} data "
               f"segment{'' if count == 1 else 's'}", ins)


@_handles(Op.DATA_DROP)
def _data_drop(c: CodeChecker, ins: Instruction) -> None:
    _data(c, ins.immediates[0], ins)


# ---------------------------------------------------------------- references

@_handles(Op.REF_NULL)
def _ref_null(c: CodeChecker, ins: Instruction) -> None:
    heap_type = ins.immediates[0]
    try:
        check_heap_type(heap_type, len(c.types))
    except ValidationError as error:
        c.located(error, ins)
    c.vals.append(RefType(True, heap_type))


@_handles(Op.REF_IS_NULL)
def _ref_is_null(c: CodeChecker, ins: Instruction) -> None:
    c.pop_ref(ins)
    c.vals.append(I32)


@_handles(Op.REF_FUNC)
def _ref_func(c: CodeChecker, ins: Instruction) -> None:
    index = ins.immediates[0]
    type_index = c.lookup(c.context.functions, index, "function", ins)
    if index not in c.context.refs:
        c.fail(f"undeclared function reference {index}: ref.func may only name functions "
               f"that occur outside function bodies (e.g. in an elem segment or export)",
               ins)
    c.vals.append(RefType(False, type_index))  # type: ignore[arg-type]


@_handles(Op.REF_AS_NON_NULL)
def _ref_as_non_null(c: CodeChecker, ins: Instruction) -> None:
    actual = c.pop_ref(ins)
    c.vals.append(RefType(False, actual.heap_type))


@_handles(Op.BR_ON_NULL)
def _br_on_null(c: CodeChecker, ins: Instruction) -> None:
    labels = c.label(ins.immediates[0], ins).labels
    actual = c.pop_ref(ins)
    c.pop_vals(labels, ins)
    c.vals.extend(labels)  # the label types, not the popped ones (spec appendix)
    c.vals.append(RefType(False, actual.heap_type))


@_handles(Op.BR_ON_NON_NULL)
def _br_on_non_null(c: CodeChecker, ins: Instruction) -> None:
    labels = c.label(ins.immediates[0], ins).labels
    if not labels or not isinstance(labels[-1], RefType):
        c.fail(f"type mismatch: br_on_non_null needs a label whose last type is a reference "
               f"but label {ins.immediates[0]} has {types_string(labels)}", ins)
    actual = c.pop_ref(ins)
    branch = RefType(False, actual.heap_type)
    if actual.heap_type is not BOT_HEAP and not c.matches(branch, labels[-1]):
        c.fail(f"type mismatch: br_on_non_null passes {branch} but label "
               f"{ins.immediates[0]} expects {labels[-1]}", ins)
    prefix = labels[:-1]
    c.pop_vals(prefix, ins)
    c.vals.extend(prefix)


# ---------------------------------------------------------------- SIMD lanes

_LANES = {"i8x16": 16, "i16x8": 8, "i32x4": 4, "i64x2": 2, "f32x4": 4, "f64x2": 2}


def _lane(c: CodeChecker, ins: Instruction) -> None:
    info = OPCODES[ins.opcode]
    lanes = _LANES[info.name[:5]]
    lane = ins.immediates[0]
    if not 0 <= lane < lanes:
        c.fail(f"invalid lane index {lane}: {info.name} has {lanes} lanes", ins)
    c.pop_vals(info.params, ins)  # type: ignore[arg-type]
    c.vals.extend(info.results)  # type: ignore[arg-type]


def _shuffle(c: CodeChecker, ins: Instruction) -> None:
    lanes = ins.immediates[0]
    for lane in lanes:
        if not 0 <= lane < 32:
            c.fail(f"invalid lane index {lane}: i8x16.shuffle lanes must be below 32", ins)
    c.pop_vals((V128, V128), ins)
    c.vals.append(V128)


def _fill_tables() -> None:
    """Fill :data:`SIMPLE`, :data:`BINARY`, :data:`UNARY`, :data:`NULLARY` and the
    handlers of GC instructions, memory accesses, lanes and shuffles from the opcode
    table, in one pass with local names (this runs in every process's first
    ``Module()``: four passes over the table at module level cost it about 1 ms).
    Later entries win as in the passes it replaces: a GC instruction's handler, then
    one chosen by the immediates. Raises nothing."""
    fixed = (Imm.NONE, Imm.I32, Imm.I64, Imm.F32, Imm.F64, Imm.V128)
    memarg, memarg_lane, lane, shuffle = Imm.MEMARG, Imm.MEMARG_LANE, Imm.LANE, Imm.SHUFFLE
    simple, binary, unary, nullary, handlers = SIMPLE, BINARY, UNARY, NULLARY, HANDLERS
    for key, info in OPCODES.items():
        imm = info.imm
        params = info.params
        results = info.results
        if info.feature == "gc":
            handlers[key] = gc_unsupported
        elif params is not None and results is not None and imm in fixed:
            simple[key] = (params, results)
            if len(results) == 1:
                if len(params) == 2:
                    binary[key] = (params[0], params[1], results[0])
                elif len(params) == 1:
                    unary[key] = (params[0], results[0])
                elif not params:
                    nullary[key] = results[0]
        if imm is memarg:
            handlers[key] = _load if results else _store
        elif imm is memarg_lane:
            handlers[key] = _lane_memory
        elif imm is lane:
            handlers[key] = _lane
        elif imm is shuffle:
            handlers[key] = _shuffle


_fill_tables()
