"""Alignment of locals: which locals only ever hold multiples of a power of two.

Loads and stores at an address known to be a multiple of the access size index a typed
view of memory directly (about 15 ns faster in CPython than a :mod:`struct` call). The
generator knows the alignment of constants and of what it computes from them
(``Entry.align``); this pre-pass adds what holds for a local at every point of the
function, so that loop counters and pointers (``p = p + 8`` from ``p = 0``) count too.

The analysis is flow-insensitive and optimistic: every declared ``i32``/``i64`` local
starts as "any power of two" (it starts at 0, which every power of two divides),
parameters as 1 (unknown). One walk of the body records, for each ``local.set`` and
``local.tee``, the alignment of the value assigned as a formula over locals
(``min(16, align(l3) << 2)`` for ``local.get 3; i32.const 2; i32.shl``, ...); then each
local is lowered to the least of its formulas until nothing changes: every assignment
then keeps its local's alignment, so the alignment holds everywhere. Code after an
unconditional branch never runs and is skipped; values entering or leaving a construct
count as unknown. Alignment survives wrap-around: ``2**32`` and ``2**64`` are multiples
of every alignment tracked (at most ``2**16``).

The facts a translation gets by testing its stack pointer or pointer parameters at
entry are :mod:`.entry_alignment`'s, built on the walk here.
"""

from __future__ import annotations

from typing import Any

from ...syntax.instructions import Block, Instruction
from ...syntax.module import Function
from ...syntax.opcodes import OPCODES, TERMINATORS, Imm, Op
from ...syntax.types import I32, I64, FuncType
from .context import ModuleContext
from .entry_values import SIZES as _SIZES

__all__ = ["CAP", "ENTRY_ALIGN", "STACK_FLOOR", "STACK_RANGE", "inlined_alignments",
           "local_alignments"]

CAP = 1 << 16
"""Largest alignment tracked (as ``Entry.align``)."""
MAX_ROUNDS = 40
"""Rounds over the recorded assignments before giving up (each lowers some local)."""


class _Unknown(Exception):
    """An instruction the pre-pass does not model: no facts for this function."""


_NUMERIC = {f"{t}.{op}": op for t in ("i32", "i64")
            for op in ("add", "sub", "mul", "and", "or", "xor", "shl")}
_KEEP = frozenset(("i32.wrap_i64", "i64.extend_i32_u", "i64.extend_i32_s"))
_DEAD_AFTER = TERMINATORS


ENTRY_ALIGN = 8
"""What a function whose translation tests its stack pointer at entry (see
:func:`.entry_alignment.entry_reads`) takes that pointer to be a multiple of: enough for
every access (clang keeps ``__stack_pointer`` a multiple of 16)."""

STACK_FLOOR = 4096
"""The same test takes the stack pointer to be at least this, and below ``STACK_FLOOR +
2**30`` (:func:`.entry_alignment.stack_test`): a frame of up to this many bytes taken off
it (``sp - 16``) and given back (``fp + 16``) cannot wrap, so neither needs the
wrap-around conditional. A stack pointer in the lowest 4 KiB (a ``--stack-first`` stack
near its end) runs the translation without the entry facts."""

STACK_RANGE = (STACK_FLOOR, STACK_FLOOR + (1 << 30) - 1)
"""The range of the stack pointer's entry value where the test passed."""


def inlined_alignments(ctx: ModuleContext, function: Function, ftype: FuncType,
                       arguments: tuple[int, ...]) -> dict[int, int]:
    """Map local index -> a power of two (> 1) dividing every value the local holds, for
    ``function`` inlined with parameters known to be multiples of ``arguments`` (the
    arguments' alignments, 1 when unknown). Never raises: a body with instructions the
    pre-pass does not model gets no facts."""
    params = len(ftype.params)
    tracked = [a > 1 and (t is I32 or t is I64) for a, t in zip(arguments, ftype.params)]
    tracked += [t is I32 or t is I64 for t in function.locals]
    assigned: list[tuple[int, Any]] = []
    try:
        _walk(ctx, function.body, [], tracked, assigned)
    except (_Unknown, IndexError, KeyError):
        return {}
    start = [min(arguments[k], CAP) if k < params else CAP if on else 1
             for k, on in enumerate(tracked)]
    return _lowered(tracked, assigned, None, start)


def _natural(ins: Instruction, stack: list[Any], accesses: list[tuple[Any, int]]) -> None:
    """Record in ``accesses`` the address alignment (a formula over locals, see
    :data:`Value`) and size of the load or store ``ins`` when it is declared naturally
    aligned (its memarg alignment and offset) and its address depends on a local."""
    align_log2, offset, _memory = ins.immediates
    load, size = _SIZES[ins.opcode]
    if (1 << align_log2) < size or offset % size:
        return
    address = stack[-1] if load else stack[-2]
    if not isinstance(address[0], int):
        accesses.append((address[0], size))


_PLAIN = (Imm.NONE, Imm.F32, Imm.F64, Imm.V128)  # (a tuple: Enum.__hash__ is slow on 3.11)
"""Immediates of the fixed-signature instructions modelled (numeric, float constants)."""


def _log2_low(value: int) -> int:
    """log2 of the largest power of two dividing ``value`` (not 0), at most 16."""
    return min((value & -value).bit_length() - 1, 16)


Value = "int | tuple[int, tuple[tuple[int, int], ...]]"
"""An operand's alignment: a number, or ``(base, ((local, shift), ...))`` for
``min(base, align(local) << shift, ...)``."""


def local_alignments(ctx: ModuleContext, function: Function, ftype: FuncType,
                     entry: frozenset[int] = frozenset()) -> dict[int, int]:
    """Map local index -> a power of two (> 1) dividing every value the local holds.

    ``entry`` holds the ids of ``global.get`` instructions whose value is taken to be a
    multiple of :data:`ENTRY_ALIGN` (the function tests that at entry: see
    :func:`.entry_alignment.entry_reads`). Never raises: a function with instructions
    the pre-pass does not model gets no facts.
    """
    params = len(ftype.params)
    tracked = [False] * params + [t is I32 or t is I64 for t in function.locals]
    if not any(tracked):
        return {}
    assigned: list[tuple[int, Any]] = []
    try:
        _walk(ctx, function.body, [], tracked, assigned, entry)
    except (_Unknown, IndexError, KeyError):
        return {}
    return _lowered(tracked, assigned)


_ENTRY_TERM = (CAP, ((-1, 0),))
"""The alignment of a value read at entry in :func:`_both_alignments`' walk: that of a
pseudo-local, the last item of the alignments :func:`_resolve` is given."""


class _Ambiguous(Exception):
    """An ``and`` whose rule tells apart a value read at entry and a number (see
    :func:`_apply`): :func:`_both_alignments` gives up, two walks follow."""


def _both_alignments(ctx: ModuleContext, function: Function, ftype: FuncType,
                     entry: frozenset[int]) -> tuple[dict[int, int], dict[int, int]] | None:
    """:func:`local_alignments` with ``entry`` and without it (which its stack pointer test
    at entry decides between), from one walk of the body: the values read at entry are
    a pseudo-local (:data:`_ENTRY_TERM`) aligned to :data:`ENTRY_ALIGN` in the first
    answer and to 1 in the second, which gives the same numbers as the two walks (each
    rule but ``and``'s is a least of terms). None when the walk meets an ``and`` that
    would tell them apart. Never raises."""
    params = len(ftype.params)
    tracked = [False] * params + [t is I32 or t is I64 for t in function.locals]
    if not any(tracked):
        return {}, {}
    assigned: list[tuple[int, Any]] = []
    try:
        _walk(ctx, function.body, [], tracked, assigned, entry, _ENTRY_TERM)
    except _Ambiguous:
        return None
    except (_Unknown, IndexError, KeyError):
        return {}, {}
    return (_lowered(tracked, assigned, ENTRY_ALIGN), _lowered(tracked, assigned, 1))


def _lowered(tracked: list[bool], assigned: list[tuple[int, Any]],
             entry: int | None = None, start: list[int] | None = None) -> dict[int, int]:
    """Lower each tracked local to the least alignment of what is assigned to it, until
    nothing changes; ``entry``: the alignment of the pseudo-local read at entry (see
    :func:`_both_alignments`), if the walk had one; ``start``: each local's alignment
    before the assignments (default: :data:`CAP` if tracked, else 1)."""
    align = list(start) if start is not None else [CAP if k else 1 for k in tracked]
    if entry is not None:
        align.append(entry)  # (index -1)
    for _ in range(MAX_ROUNDS):
        changed = False
        for local, value in assigned:
            if align[local] > 1:
                now = _resolve(value, align)
                if now < align[local]:
                    align[local] = now
                    changed = True
        if not changed:
            return {k: a for k, a in enumerate(align[:len(tracked)]) if a > 1}
    return {}


def _at_entry(value: Any) -> bool:
    """Whether ``value`` depends on the pseudo-local of :func:`_both_alignments`."""
    return not isinstance(value, int) and any(local < 0 for local, _ in value[1])


def _resolve(value: Any, align: list[int]) -> int:
    if isinstance(value, int):
        return value
    least, terms = value
    for local, shift in terms:
        least = min(least, align[local] << shift)
    return least


def _combine(a: Any, b: Any) -> Any:
    """The alignment of ``a + b`` (also ``-``, ``|``, ``^``, select): the lesser."""
    if isinstance(a, int) and isinstance(b, int):
        return min(a, b)
    if isinstance(a, int):
        a, b = b, a
    if isinstance(b, int):
        return (min(a[0], b), a[1]) if b > 1 else 1
    return (min(a[0], b[0]), a[1] + b[1])


def _shifted(a: Any, k: int) -> Any:
    """The alignment of ``a << k`` (and of ``a * 2**k``)."""
    if isinstance(a, int):
        return min(a << k, CAP)
    return (min(a[0] << k, CAP), tuple((local, s + k) for local, s in a[1]))


def _signature(ctx: ModuleContext, block: Block) -> tuple[int, int]:
    bt = block.immediates[0]
    if bt is None:
        return 0, 0
    if isinstance(bt, int):
        ft = ctx.module.types[bt]
        return len(ft.params), len(ft.results)
    return 0, 1


def _walk(ctx: ModuleContext, body: tuple[Instruction, ...], stack: list[Any],
          tracked: list[bool], assigned: list[tuple[int, Any]],
          entry: frozenset[int] = frozenset(), entry_value: Any = ENTRY_ALIGN,
          accesses: list[tuple[Any, int]] | None = None) -> None:
    """Record in ``assigned`` the alignment of every value assigned to a tracked local.

    ``stack`` holds the alignment (see :data:`Value`) and the constant value or None of
    each operand, as ``(alignment, constant)``. The ``global.get`` instructions in
    ``entry`` push ``entry_value``. With ``accesses``, also records there the address
    alignment and size of each load and store that :func:`_natural` accepts.

    Raises:
        _Unknown: for an instruction not modelled.
        _Ambiguous: see :func:`_both_alignments`.
    """
    fast = _FAST
    local_get, const32, const64 = Op.LOCAL_GET, Op.I32_CONST, Op.I64_CONST
    unknown = (1, None)
    for ins in body:
        op = ins.opcode
        if op == local_get:  # (the commonest instruction, then constants)
            index = ins.immediates[0]
            stack.append(((CAP, ((index, 0),)) if tracked[index] else 1, None))
            continue
        if op == const32 or op == const64:
            value = ins.immediates[0]  # (the least power of two dividing it)
            stack.append((min(value & -value, CAP) if value else CAP, value))
            continue
        effect = fast.get(op)
        if effect is not None:  # (most other instructions: numeric and memory)
            if accesses is not None and op in _SIZES:
                _natural(ins, stack, accesses)
            if effect[2] is None:  # (_apply's unknown result, inline)
                pops = effect[0]
                if pops:
                    del stack[-pops:]
                if effect[1]:
                    stack.extend([unknown] * effect[1])
                continue
            _apply(effect, stack)
            continue
        if isinstance(ins, Block):
            if op == Op.TRY_TABLE:
                raise _Unknown
            n_params, n_results = _signature(ctx, ins)
            if op == Op.IF:
                stack.pop()
            del stack[len(stack) - n_params:]
            _walk(ctx, ins.body, [(1, None)] * n_params, tracked, assigned, entry,
                  entry_value, accesses)
            if ins.else_body:
                _walk(ctx, ins.else_body, [(1, None)] * n_params, tracked, assigned, entry,
                      entry_value, accesses)
            stack.extend([(1, None)] * n_results)
            continue
        if op == Op.LOCAL_SET or op == Op.LOCAL_TEE:
            index = ins.immediates[0]
            value = stack.pop() if op == Op.LOCAL_SET else stack[-1]
            if tracked[index]:
                assigned.append((index, value[0]))
        elif op in _DEAD_AFTER:
            return  # the rest of this sequence never runs
        elif op == Op.BR_IF or op == Op.DROP or op == Op.GLOBAL_SET:
            stack.pop()
        elif op == Op.GLOBAL_GET:
            stack.append((entry_value if id(ins) in entry else 1, None))
        elif op == Op.SELECT or op == Op.SELECT_T:
            _cond, second, first = stack.pop(), stack.pop(), stack.pop()
            stack.append((_combine(first[0], second[0]), None))
        elif op == Op.CALL or op == Op.CALL_INDIRECT:
            ft = (ctx.function_types[ins.immediates[0]] if op == Op.CALL
                  else ctx.module.types[ins.immediates[0]])
            del stack[len(stack) - len(ft.params) - (op == Op.CALL_INDIRECT):]
            stack.extend([(1, None)] * len(ft.results))
        elif op == Op.NOP or op == Op.DATA_DROP:
            pass
        else:
            _other(ins, stack)


_WALKED = frozenset((  # (named once: the comprehension below looked the members up per row)
    Op.LOCAL_GET, Op.LOCAL_SET, Op.LOCAL_TEE, Op.I32_CONST, Op.I64_CONST, Op.BR_IF,
    Op.DROP, Op.GLOBAL_SET, Op.GLOBAL_GET, Op.SELECT, Op.SELECT_T, Op.CALL,
    Op.CALL_INDIRECT, Op.NOP, Op.DATA_DROP, Op.BLOCK, Op.LOOP, Op.IF, Op.TRY_TABLE))
_BULK_EFFECTS = {"memory.size": (0, 1, None), "memory.grow": (1, 1, None),
                 "memory.fill": (3, 0, None), "memory.copy": (3, 0, None),
                 "memory.init": (3, 0, None)}


def _effects() -> tuple[dict[int, tuple[int, int, str | None]],
                        dict[int, tuple[int, int, str | None]]]:
    """Per modelled opcode (memory and fixed-signature instructions): ``(operands
    popped, results pushed, kind)``, kind naming the alignment rule or None (unknown);
    and the same for the opcodes :func:`_walk` handles by their effect alone (one pass
    over the opcode table, at import: its locals and shared rows keep it short)."""
    table: dict[int, tuple[int, int, str | None]] = {}
    fast: dict[int, tuple[int, int, str | None]] = {}
    memarg = Imm.MEMARG  # (named once: an enum member costs 0.15 us a lookup on 3.11)
    plain, numeric, keep, bulk = _PLAIN, _NUMERIC, _KEEP, _BULK_EFFECTS
    skipped = _DEAD_AFTER | _WALKED
    load, store = (1, 1, None), (2, 0, None)
    effect: tuple[int, int, str | None] | None
    for key, info in OPCODES.items():
        imm = info.imm
        if imm is memarg:
            if info.feature != "core":
                continue  # (SIMD loads and stores: not modelled)
            effect = load if info.results else store
        else:
            name = info.name
            effect = bulk.get(name)
            if effect is None:
                params, results = info.params, info.results
                if params is None or results is None or imm not in plain:
                    continue
                kind = numeric.get(name) or ("keep" if name in keep else None)
                if kind == "shl" and name[1:3] == "64":
                    kind = "shl64"
                effect = (len(params), len(results), kind)
        table[key] = effect
        if key not in skipped:
            fast[key] = effect
    return table, fast


_EFFECTS, _FAST = _effects()
"""The entries of :data:`_EFFECTS` that :func:`_walk` handles by their effect alone (it
looks them up first)."""


def _other(ins: Instruction, stack: list[Any]) -> None:
    """Memory and numeric instructions (fixed operand counts).

    Raises:
        _Unknown: for anything else.
    """
    effect = _EFFECTS.get(ins.opcode)
    if effect is None:
        raise _Unknown
    _apply(effect, stack)


def _apply(effect: tuple[int, int, str | None], stack: list[Any]) -> None:
    """Apply one instruction's ``(operands popped, results pushed, kind)`` to ``stack``."""
    pops, pushes, kind = effect
    if kind is None:
        if pops:
            del stack[-pops:]
        if pushes:
            stack.extend([(1, None)] * pushes)
        return
    if kind == "keep":
        stack[-1] = (stack[-1][0], None)
        return
    (a, a_value), (b, count) = stack[-2:]
    del stack[-2:]
    if kind in ("add", "sub", "or", "xor"):
        result = _combine(a, b)
    elif kind == "and":
        # a multiple of either operand's alignment: keep a known number if any
        if isinstance(b, int) and b > 1:
            result = b
        elif _at_entry(a) or _at_entry(b):
            raise _Ambiguous  # (a number in either walk of two, which this rule prefers)
        else:
            result = a if isinstance(a, int) else _combine(a, b)
    elif kind == "mul":
        if isinstance(a_value, int) and a_value:
            result = _shifted(b, _log2_low(a_value))
        elif isinstance(count, int) and count:
            result = _shifted(a, _log2_low(count))
        else:
            result = _combine(a, b)
    elif count is not None:  # shl by a constant
        result = _shifted(a, count & (63 if kind == "shl64" else 31))
    else:
        result = 1
    stack.append((result, None))
