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
"""

from __future__ import annotations

from typing import Any

from ...syntax.instructions import Block, Instruction
from ...syntax.module import Function
from ...syntax.opcodes import OPCODES, TERMINATORS, Imm, Op
from ...syntax.types import I32, I64, FuncType
from .context import ModuleContext
from .entry_values import SINGLE_PUSH as _SINGLE_PUSH
from .entry_values import SIZES as _SIZES
from .entry_values import entry_valued_bases

__all__ = ["CAP", "ENTRY_ALIGN", "ENTRY_STRAIGHT_MAX", "EntryFacts", "entry_reads",
           "function_alignments", "inlined_alignments", "local_alignments",
           "parameter_bases"]

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


ENTRY_STRAIGHT_MAX = 300
"""Largest function without loops (in instructions) that may test its stack pointer at
entry: its frame accesses run once a call, so its walk pays off only when small."""
ENTRY_ALIGN = 8
"""What a function whose translation tests its stack pointer at entry (see
:func:`entry_reads`) takes that pointer to be a multiple of: enough for every access
(clang keeps ``__stack_pointer`` a multiple of 16)."""
_PREFIX = frozenset((Op.LOCAL_GET, Op.LOCAL_SET, Op.LOCAL_TEE, Op.I32_CONST, Op.I64_CONST,
                     Op.F32_CONST, Op.F64_CONST, Op.GLOBAL_GET, Op.GLOBAL_SET, Op.DROP,
                     Op.SELECT, Op.NOP))
"""Instructions that cannot change a global other than by ``global.set`` (with the
numeric and memory instructions: see :func:`entry_reads`)."""


class EntryFacts:
    """Alignment facts of one function (:func:`function_alignments`).

    Attributes:
        locals: local index -> a power of two dividing every value the local holds.
        guard: the global the function must test at entry (its value a multiple of
            :data:`ENTRY_ALIGN`, else the function runs a translation without these
            facts), or None (no test: the facts hold unconditionally).
        reads: ids of the ``global.get`` instructions reading that global's entry value.
        params: parameter index -> the power of two the function tests that parameter
            to be a multiple of at entry (else it runs the translation without these
            facts, like ``guard``): see :func:`_parameter_facts`.
        gets: ids of ``local.get`` instructions that read a tested parameter's entry
            value (the parameter assigned elsewhere in the function) -> its tested
            alignment: see :func:`entry_valued_bases`.
    """

    __slots__ = ("locals", "guard", "reads", "params", "gets")

    def __init__(self, locals_: dict[int, int], guard: int | None = None,
                 reads: frozenset[int] = frozenset(),
                 params: dict[int, int] | None = None) -> None:
        self.locals = locals_
        self.guard = guard
        self.reads = reads
        self.params = params or {}
        self.gets: dict[int, int] = {}


def entry_reads(ctx: ModuleContext, function: Function) -> tuple[int, frozenset[int]] | None:
    """The ``global.get`` instructions of the body's straight prefix that read a mutable
    ``i32`` global's value at entry (clang's ``__stack_pointer`` in a prologue): the
    global, and the ids of those instructions; None if there are none.

    The prefix ends at the first block, branch or call, and at a ``global.set`` of that
    global: nothing before can change the global (calls could, through the host or an
    export), so every read there gives the value the function was entered with.
    """
    candidate: int | None = None
    reads: list[int] = []
    for ins in function.body:
        op = ins.opcode
        if isinstance(ins, Block):
            break
        if op == Op.GLOBAL_GET:
            index = ins.immediates[0]
            if candidate is None:
                kind = ctx.globals[index]
                if not (kind.mutable and kind.value_type is I32
                        and ctx.global_access[index] != "shared"):
                    continue
                candidate = index
            if index == candidate:
                reads.append(id(ins))
        elif op == Op.GLOBAL_SET:
            if ins.immediates[0] == candidate:
                break
        elif op not in _PREFIX and op not in _EFFECTS:
            break
    return None if candidate is None else (candidate, frozenset(reads))


def function_alignments(ctx: ModuleContext, function: Function, ftype: FuncType,
                        loops: bool, entry_test: bool) -> EntryFacts:
    """The alignment facts the generator uses for ``function``: the locals' alignments
    when it has loops (where they pay off) and, with ``entry_test``, the facts that hold
    if its stack pointer is a multiple of :data:`ENTRY_ALIGN` at entry, when they say
    more (the translation then tests that at entry), and those of the reads of assigned
    parameters' entry values (:func:`_with_entry_values`). Never raises."""
    facts = _function_alignments(ctx, function, ftype, loops, entry_test)
    return _with_entry_values(facts, function, ftype) if entry_test else facts


def _with_entry_values(facts: EntryFacts, function: Function, ftype: FuncType) -> EntryFacts:
    """``facts`` plus the parameters the function assigns whose entry values are the
    addresses of naturally aligned accesses, tested at entry, and the reads of those
    values (:func:`.entry_values.entry_valued_bases`)."""
    if I32 not in ftype.params:
        return facts
    wants, gets = entry_valued_bases(function, ftype, facts.params)
    if wants:
        facts.params = {**facts.params, **wants}
        facts.gets = gets
    return facts


def _function_alignments(ctx: ModuleContext, function: Function, ftype: FuncType,
                         loops: bool, entry_test: bool) -> EntryFacts:
    """:func:`function_alignments` without the entry values' facts."""
    found = entry_reads(ctx, function) if entry_test else None
    if entry_test and I32 in ftype.params:
        if not loops and found is None:  # (no walk was needed: one cheaper pass)
            return parameter_bases(function, ftype)
        facts = _parameter_facts(ctx, function, ftype, loops, found)
        if facts is not None:
            return facts
    if found is None:
        return EntryFacts(local_alignments(ctx, function, ftype) if loops else {})
    # (with loops both are needed: one walk for the two when it can)
    both = _both_alignments(ctx, function, ftype, found[1]) if loops else None
    tested = both[0] if both is not None else local_alignments(ctx, function, ftype, found[1])
    if not tested:  # (the facts without the test are never more: one walk less)
        return EntryFacts({})
    if both is not None:
        plain = both[1]
    else:
        plain = local_alignments(ctx, function, ftype) if loops else {}
    if not any(align > plain.get(local, 1) for local, align in tested.items()):
        return EntryFacts(plain)
    return EntryFacts(tested, found[0], found[1])


PARAM_ALIGN_MAX = 8
"""Largest alignment a parameter is tested for at entry (that of an ``i64``/``f64``)."""


def _parameter_facts(ctx: ModuleContext, function: Function, ftype: FuncType, loops: bool,
                     found: tuple[int, frozenset[int]] | None) -> EntryFacts | None:
    """The facts that hold if some ``i32`` parameters are multiples of what the function's
    own accesses through them expect, when those say more than the facts without a
    test; else the facts without a test (with the stack pointer's test when ``found``
    and it pays), all from one walk; None when that walk cannot tell the stack
    pointer's cases apart (then :func:`function_alignments` goes on without these).

    A parameter is a candidate when it is the base (a term not shifted) of the address
    of a load or store that its producer declares naturally aligned (memarg alignment
    at least the access size, offset a multiple of it): a pointer to a structure, as
    compilers pass them; its assumed alignment is the largest such access size (at
    most :data:`PARAM_ALIGN_MAX`). Accesses declared unaligned (``memcpy``-style reads of
    byte buffers) never make a candidate, so a function given byte pointers keeps the
    plain translation. The translation then tests each such parameter at entry (with
    the stack pointer's test when ``found``: one walk assumes both). Never raises.
    """
    params = len(ftype.params)
    tracked = [t is I32 for t in ftype.params] + [t is I32 or t is I64 for t in function.locals]
    assigned: list[tuple[int, Any]] = []
    accesses: list[tuple[Any, int]] = []
    reads = found[1] if found is not None else frozenset()
    # (the values read at entry: a pseudo-local, as in _both_alignments: one walk)
    try:
        _walk(ctx, function.body, [], tracked, assigned, reads, _ENTRY_TERM, accesses)
    except _Ambiguous:
        return None
    except (_Unknown, IndexError, KeyError):
        return EntryFacts({})  # (every walk of this body gives up)
    entry = ENTRY_ALIGN if found is not None else None
    wants: dict[int, int] = {}
    for value, size in accesses:
        for local, shift in value[1]:
            if not shift and 0 <= local < params and tracked[local]:
                wants[local] = max(wants.get(local, 1), min(size, PARAM_ALIGN_MAX))
    if wants:
        start = [wants.get(k, 1) if k < params else CAP if on else 1
                 for k, on in enumerate(tracked)]
        tested = _lowered(tracked, assigned, entry, start)
        checked = {k: a for k, a in tested.items() if k < params}
        # worth a test only if some access through a tested parameter becomes aligned
        align = [tested.get(k, 1) for k in range(len(tracked))] + [ENTRY_ALIGN]
        if checked and any(_resolve(value, align) >= size for value, size in accesses
                           if any(not shift and local in checked
                                  for local, shift in value[1])):
            if found is None:
                return EntryFacts(tested, None, frozenset(), checked)
            return EntryFacts(tested, found[0], found[1], checked)
    # without a parameter's test: the same walk, parameters unknown (a parameter at 1
    # resolves every rule as an untracked one does: see local_alignments), and the
    # stack pointer's test decided as function_alignments does
    unknown = [1 if k < params or not on else CAP for k, on in enumerate(tracked)]
    plain = _lowered(tracked, assigned, 1 if found is not None else None, unknown) \
        if loops else {}
    if found is None:
        return EntryFacts(plain)
    tested = _lowered(tracked, assigned, ENTRY_ALIGN, unknown)
    if not any(align > plain.get(local, 1) for local, align in tested.items()):
        return EntryFacts(plain)
    return EntryFacts(tested, found[0], found[1])




def parameter_bases(function: Function, ftype: FuncType,
                    ctx: ModuleContext | None = None) -> EntryFacts:
    """For a function too large for the walks: the ``i32`` parameters it never assigns
    that are directly the address of naturally aligned loads and stores (a
    ``local.get`` just before a load, or before a store's one-instruction value), each
    taken to be a multiple of the largest such access and tested at entry (see
    :func:`_parameter_facts`); one pass over the body. With ``ctx``, also the frame
    pointer of a stack pointer prologue (:func:`_frame_local`), with the stack
    pointer's test. No facts about other locals. Never raises."""
    candidates = frozenset(k for k, t in enumerate(ftype.params) if t is I32)
    wants: dict[int, int] = {}
    assigned: set[int] = set()
    twice: set[int] = set()
    work = [function.body]
    local_get, local_set, local_tee = Op.LOCAL_GET, Op.LOCAL_SET, Op.LOCAL_TEE
    while work:
        before: Instruction | None = None
        previous: Instruction | None = None
        for ins in work.pop():
            op = ins.opcode
            if isinstance(ins, Block):
                work.append(ins.body)
                if ins.else_body:
                    work.append(ins.else_body)
                before = previous = None
                continue
            if op == local_set or op == local_tee:
                index = ins.immediates[0]
                if index in assigned:
                    twice.add(index)
                assigned.add(index)
            else:
                sizes = _SIZES.get(op)
                if sizes is not None:
                    load, size = sizes
                    base: Instruction | None = previous if load else \
                        before if previous is not None and previous.opcode in _SINGLE_PUSH \
                        else None
                    if base is not None and base.opcode == local_get:
                        align_log2, offset, _memory = ins.immediates
                        index = base.immediates[0]
                        if index in candidates and 1 << align_log2 >= size and not offset % size:
                            wants[index] = max(wants.get(index, 1), min(size, PARAM_ALIGN_MAX))
            before, previous = previous, ins
    checked = {k: a for k, a in wants.items() if k not in assigned}
    frame = _frame_local(ctx, function, ftype, twice) if ctx is not None else None
    if frame is None:
        facts = EntryFacts(checked, None, frozenset(), checked)
    else:
        local, align, (guard, reads) = frame
        facts = EntryFacts({**checked, local: align}, guard, reads, checked)
    return facts if ctx is None else _with_entry_values(facts, function, ftype)


def _frame_local(ctx: ModuleContext, function: Function, ftype: FuncType, twice: set[int]
                 ) -> tuple[int, int, tuple[int, frozenset[int]]] | None:
    """A prologue's frame pointer (``global.get $sp; i32.const K; i32.sub; local.tee L``
    in the body's straight prefix, ``L`` a declared ``i32`` local assigned nowhere else
    (not in ``twice``)): ``(L, its alignment if the stack pointer passes its test at
    entry, the test's global and entry reads)``, or None."""
    found = entry_reads(ctx, function)
    if found is None:
        return None
    body = function.body
    params = len(ftype.params)
    for k in range(len(body) - 3):
        first = body[k]
        if isinstance(first, Block):
            return None
        if first.opcode != Op.GLOBAL_GET or id(first) not in found[1]:
            continue
        const, sub, target = body[k + 1], body[k + 2], body[k + 3]
        if (const.opcode == Op.I32_CONST and sub.opcode == Op.I32_SUB
                and target.opcode in (Op.LOCAL_TEE, Op.LOCAL_SET)):
            local = target.immediates[0]
            if (local >= params and function.locals[local - params] is I32
                    and local not in twice):
                value = const.immediates[0]
                return local, min(ENTRY_ALIGN, value & -value if value else CAP), found
        return None
    return None


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
    :func:`entry_reads`). Never raises: a function with instructions the pre-pass does
    not model gets no facts.
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
