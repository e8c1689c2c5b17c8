"""Alignment of locals: which locals only ever hold multiples of a power of two.

Loads and stores at an address known to be a multiple of the access size index a typed
view of memory directly (about 15 ns faster in CPython than a :mod:`struct` call). The
generator knows the alignment of constants and of what it computes from them
(``Entry.align``); this pre-pass adds what holds for a local at every point of the
function, so that loop counters and pointers (``p = p + 8`` from ``p = 0``) count too.

The analysis is flow-insensitive and optimistic: every declared ``i32``/``i64`` local
starts as "any power of two" (it starts at 0, which every power of two divides),
parameters as 1 (unknown). Each ``local.set``/``local.tee`` lowers its local to the
alignment of the value assigned, computed with the current assumptions, and the walk is
repeated until nothing changes: then every assignment keeps its local's alignment, so
the alignment holds everywhere. Code after an unconditional branch never runs and is
skipped; values entering or leaving a construct count as unknown. Alignment survives
wrap-around: ``2**32`` and ``2**64`` are multiples of every alignment tracked (at most
``2**16``).
"""

from __future__ import annotations

from ...syntax.instructions import Block, Instruction
from ...syntax.module import Function
from ...syntax.opcodes import OPCODES, Imm, Op
from ...syntax.types import I32, I64, FuncType
from .context import ModuleContext

__all__ = ["CAP", "local_alignments"]

CAP = 1 << 16
"""Largest alignment tracked (as ``Entry.align``)."""
MAX_ROUNDS = 4
"""Walks of the body before giving up (each lowers some local; real code needs two)."""


class _Unknown(Exception):
    """An instruction the pre-pass does not model: no facts for this function."""


_NUMERIC = {f"{t}.{op}": op for t in ("i32", "i64")
            for op in ("add", "sub", "mul", "and", "or", "xor", "shl")}
_KEEP = frozenset(("i32.wrap_i64", "i64.extend_i32_u", "i64.extend_i32_s"))
_DEAD_AFTER = frozenset((Op.BR, Op.BR_TABLE, Op.RETURN, Op.UNREACHABLE, Op.RETURN_CALL,
                         Op.RETURN_CALL_INDIRECT, Op.RETURN_CALL_REF, Op.THROW, Op.THROW_REF))


_PLAIN = frozenset((Imm.NONE, Imm.F32, Imm.F64, Imm.V128))
"""Immediates of the fixed-signature instructions modelled (numeric, float constants)."""


def _low_bit(value: int) -> int:
    return min(value & -value, CAP) if value else CAP


def local_alignments(ctx: ModuleContext, function: Function, ftype: FuncType) -> dict[int, int]:
    """Map local index -> a power of two (> 1) dividing every value the local holds.

    Never raises: a function with instructions the pre-pass does not model gets no facts.
    """
    params = len(ftype.params)
    align = [1] * params + [CAP if t is I32 or t is I64 else 1 for t in function.locals]
    try:
        for _ in range(MAX_ROUNDS):
            if not _walk(ctx, function.body, [], align):
                return {k: a for k, a in enumerate(align) if a > 1}
    except (_Unknown, IndexError, KeyError):
        return {}
    return {}


def _signature(ctx: ModuleContext, block: Block) -> tuple[int, int]:
    bt = block.immediates[0]
    if bt is None:
        return 0, 0
    if isinstance(bt, int):
        ft = ctx.module.types[bt]
        return len(ft.params), len(ft.results)
    return 0, 1


def _walk(ctx: ModuleContext, body: tuple[Instruction, ...], stack: list[tuple[int, int | None]],
          align: list[int]) -> bool:
    """One pass over ``body``; returns True if some local's alignment was lowered.

    ``stack`` holds ``(alignment, constant value or None)`` per operand.

    Raises:
        _Unknown: for an instruction not modelled.
    """
    changed = False
    for ins in body:
        op = ins.opcode
        if isinstance(ins, Block):
            if op == Op.TRY_TABLE:
                raise _Unknown
            n_params, n_results = _signature(ctx, ins)
            if op == Op.IF:
                stack.pop()
            del stack[len(stack) - n_params:]
            changed |= _walk(ctx, ins.body, [(1, None)] * n_params, align)
            if ins.else_body:
                changed |= _walk(ctx, ins.else_body, [(1, None)] * n_params, align)
            stack.extend([(1, None)] * n_results)
            continue
        if op == Op.LOCAL_GET:
            stack.append((align[ins.immediates[0]], None))
        elif op == Op.LOCAL_SET or op == Op.LOCAL_TEE:
            index = ins.immediates[0]
            value = stack.pop() if op == Op.LOCAL_SET else stack[-1]
            if value[0] < align[index]:
                align[index] = value[0]
                changed = True
        elif op == Op.I32_CONST or op == Op.I64_CONST:
            value = ins.immediates[0]
            stack.append((_low_bit(value), value))
        elif op in _DEAD_AFTER:
            return changed  # the rest of this sequence never runs
        elif op == Op.BR_IF or op == Op.DROP or op == Op.GLOBAL_SET:
            stack.pop()
        elif op == Op.GLOBAL_GET:
            stack.append((1, None))
        elif op == Op.SELECT or op == Op.SELECT_T:
            _cond, second, first = stack.pop(), stack.pop(), stack.pop()
            stack.append((min(first[0], second[0]), None))
        elif op == Op.CALL or op == Op.CALL_INDIRECT:
            ft = (ctx.function_types[ins.immediates[0]] if op == Op.CALL
                  else ctx.module.types[ins.immediates[0]])
            del stack[len(stack) - len(ft.params) - (op == Op.CALL_INDIRECT):]
            stack.extend([(1, None)] * len(ft.results))
        elif op == Op.NOP or op == Op.DATA_DROP:
            pass
        else:
            _other(ins, stack)
    return changed


def _other(ins: Instruction, stack: list[tuple[int, int | None]]) -> None:
    """Memory and numeric instructions (fixed operand counts).

    Raises:
        _Unknown: for anything else.
    """
    info = OPCODES[ins.opcode]
    name = info.name
    if info.imm is Imm.MEMARG and info.feature == "core":
        if info.results:
            stack[-1] = (1, None)
        else:
            del stack[-2:]
        return
    if name == "memory.size":
        stack.append((1, None))
        return
    if name == "memory.grow":
        stack[-1] = (1, None)
        return
    if name in ("memory.fill", "memory.copy", "memory.init"):
        del stack[-3:]
        return
    if info.params is None or info.results is None or info.imm not in _PLAIN:
        raise _Unknown
    arity = len(info.params)
    operands = stack[len(stack) - arity:] if arity else []
    del stack[len(stack) - arity:]
    result = 1
    kind = _NUMERIC.get(name)
    if kind is not None:
        (a, _), (b, count) = operands
        if kind in ("add", "sub", "or", "xor"):
            result = min(a, b)
        elif kind == "mul":
            result = min(a * b, CAP)
        elif kind == "and":
            result = max(a, b)
        elif count is not None:  # shl by a constant
            result = min(a << (count & (63 if name[1] == "6" else 31)), CAP)
    elif name in _KEEP:
        result = operands[0][0]
    stack.extend([(result, None)] * len(info.results))
