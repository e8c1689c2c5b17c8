"""Alignment facts that hold when a function's entry passes a test.

Built on the walk of :mod:`.alignment`: a function may test at entry that its stack
pointer (clang's ``__stack_pointer``, read in the prologue) is a multiple of
:data:`.alignment.ENTRY_ALIGN` and that pointer parameters are multiples of what its own
naturally aligned accesses through them expect; the translation that follows takes those
as facts, and one that makes no such assumption runs when the test fails
(``n_unaligned``). :func:`function_alignments` decides which tests pay for a function
the walks can afford; :func:`parameter_bases` is the one-pass version for larger ones.
"""

from __future__ import annotations

from typing import Any

from ...syntax.instructions import Block, Instruction
from ...syntax.module import Function
from ...syntax.opcodes import Op
from ...syntax.types import I32, I64, FuncType
from .alignment import (
    _EFFECTS,
    _ENTRY_TERM,
    CAP,
    ENTRY_ALIGN,
    STACK_FLOOR,
    _Ambiguous,
    _both_alignments,
    _lowered,
    _resolve,
    _Unknown,
    _walk,
    local_alignments,
)
from .context import ModuleContext
from .entry_values import SINGLE_PUSH as _SINGLE_PUSH
from .entry_values import SIZES as _SIZES
from .entry_values import entry_valued_bases

__all__ = ["ENTRY_ALIGN", "ENTRY_STRAIGHT_MAX", "EntryFacts", "PARAM_BOUND", "PARAM_RANGE",
           "entry_reads", "function_alignments", "parameter_bases", "parameter_test", "stack_test"]


ENTRY_STRAIGHT_MAX = 300
"""Largest function without loops (in instructions) that may test its stack pointer at
entry: its frame accesses run once a call, so its walk pays off only when small."""
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

PARAM_BOUND = 1 << 30
"""A parameter tested at entry is also tested to be below this (the same mask tests both:
:func:`parameter_test`), so its entry value plus a constant below ``2**32 - PARAM_BOUND``
cannot wrap (clang's ``p; i32.const 24; i32.add; i32.load``): a pointer at 1 GiB or above
runs the translation without the entry facts, as a misaligned one does."""

PARAM_RANGE = (0, PARAM_BOUND - 1)
"""The range of a tested parameter's entry value (a fact where the test passed)."""


def parameter_test(local: int, align: int) -> str:
    """The entry test's text for parameter ``local`` tested for ``align`` (a power of two
    below :data:`PARAM_BOUND`): nonzero where the value is not a multiple of ``align`` or
    not below :data:`PARAM_BOUND`. The mask ``align - 1 - 2**30`` has every bit from 30 up
    set (two's complement) and is one CPython digit, as fast as ``l & (align - 1)``."""
    return f"l{local} & {align - 1 - PARAM_BOUND}"


def stack_test(global_: int, floor: bool = True) -> str:
    """The entry test's text for the stack pointer (global ``global_``): nonzero where it
    is not a multiple of :data:`ENTRY_ALIGN` or, with ``floor``, not within
    ``[STACK_FLOOR, STACK_FLOOR + PARAM_BOUND)`` (a negative difference has every bit
    from 30 up set, as a value at or above the bound has bit 30 or 31). Without
    ``floor`` (two bytecodes less) the translation must not take the range as a fact."""
    if not floor:
        return f"G{global_} & {ENTRY_ALIGN - 1}"
    return f"(G{global_} - {STACK_FLOOR}) & {ENTRY_ALIGN - 1 - PARAM_BOUND}"


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
