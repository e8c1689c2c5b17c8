"""Range facts at a loop's header: counters and indexes that stay in range round the loop.

A loop's header is reached from before the loop and from every branch back to it, so
the facts that hold there about a local the loop assigns are those that hold on all of
those edges (:meth:`.codegen.FunctionCompiler.facts_after` keeps only the locals the loop
never assigns). Compilers test a loop's counter at its back edge::

    loop                                  loop
      ...                                   ...
      local.get $n  i32.const -1            local.get $i  i32.const 1  i32.add
      i32.add  local.tee $n                 local.tee $i  local.get $end  i32.lt_u
      br_if 0                               br_if 0
    end                                   end

(``do { ... } while (--n);``, ``while (n) { ...; n--; }`` after its rotation, and
``for (i = 0; i < end; i++)`` over unsigned values). Where every branch back to the loop
is a ``br_if`` of one of these shapes on one same local, the local's range on the back
edges is known (nonzero; below a bound, so at most ``2**32 - 2``); joined with its range
before the loop, it holds at the header. Then ``n - 1`` and ``i + 1`` cannot wrap, and
``.emit_numeric`` writes a plain subtraction or addition instead of a conditional.

clang's counted loops over a constant trip count step the counter by a constant and test
it against the end with ``i32.ne`` (``for (i = 0; i < 16; i++)`` becomes ``i + 1; tee i;
i32.const 16; i32.ne; br_if``). A range follows from the step (:func:`stepped_range`)
when the loop assigns the counter once, at its own top level, as ``i = i + s``, and its
only back edge is a ``br_if`` at its top level after that, testing ``i != N``: every
round from the header to the back edge then adds ``s`` exactly once, so a counter that
starts at or below ``N - s`` and congruent to ``N`` modulo ``s`` stays in
``[start, N - s]`` at the header (the same downwards for a negative step).
"""

from __future__ import annotations

from collections.abc import Iterable

from ...syntax.instructions import Block, Instruction
from ...syntax.opcodes import BRANCHES, BY_NAME, Op
from .ranges import Range

__all__ = ["edge_ranges", "header_facts"]

_BRANCHES = BRANCHES
_NESTED = {Op.BLOCK, Op.LOOP, Op.IF}
_TESTED = {Op.LOCAL_GET, Op.LOCAL_TEE}
_LT_U, _GT_U = BY_NAME["i32.lt_u"].key, BY_NAME["i32.gt_u"].key
_BELOW = {_LT_U, _GT_U}
_BOUNDS = {Op.LOCAL_GET, Op.I32_CONST}
_TOP32 = (1 << 32) - 1
_NE, _ADD = BY_NAME["i32.ne"].key, BY_NAME["i32.add"].key
_ASSIGN = {Op.LOCAL_SET, Op.LOCAL_TEE}


def _edge_fact(body: tuple[Instruction, ...], i: int) -> tuple[int, Range] | None:
    """``(local, range)`` that holds where the ``br_if`` at ``body[i]`` branches, for the
    shapes ``x; br_if`` (x nonzero) and ``a; b; i32.lt_u; br_if`` or ``b; a; i32.gt_u;
    br_if`` (a below b) where ``a`` is a ``local.get``/``local.tee`` and ``b`` a
    ``local.get`` or an ``i32.const`` (a below b), or ``a`` an ``i32.const`` and ``b``
    a ``local.get``/``local.tee`` (b above a); None for any other condition."""
    if i < 1 or isinstance(body[i - 1], Block):
        return None
    last = body[i - 1]
    if last.opcode in _TESTED:
        return last.immediates[0], (1, _TOP32)
    if last.opcode not in _BELOW or i < 3:
        return None
    small, big = (body[i - 3], body[i - 2]) if last.opcode == _LT_U else (
        body[i - 2], body[i - 3])
    if small.opcode in _TESTED and big.opcode in _BOUNDS:
        if big.opcode == Op.I32_CONST:
            k = big.immediates[0] & _TOP32
            return (small.immediates[0], (0, k - 1)) if k else None
        return small.immediates[0], (0, _TOP32 - 1)
    if big.opcode in _TESTED and small.opcode == Op.I32_CONST:
        k = small.immediates[0] & _TOP32
        return (big.immediates[0], (k + 1, _TOP32)) if k < _TOP32 else None
    return None


def edge_ranges(loop: Block) -> tuple[int, Range] | None:
    """``(local, range)``: a local and the hull of its ranges on every branch back to
    ``loop`` (:func:`_edge_fact`); None if some branch to the loop has another shape or
    tests another local, if nothing branches to it, or if it holds a ``try_table`` or
    another construct than ``block``, ``loop`` and ``if``. Iterative: any nesting depth.
    Raises nothing."""
    tested: int | None = None
    lo, hi = _TOP32, 0
    # work items: (a sequence, the loop's label index inside it)
    work: list[tuple[tuple[Instruction, ...], int]] = [(loop.body, 0)]
    while work:
        body, depth = work.pop()
        for i, ins in enumerate(body):
            op = ins.opcode
            if isinstance(ins, Block):
                if op not in _NESTED:
                    return None
                work.append((ins.body, depth + 1))
                if ins.else_body:
                    work.append((ins.else_body, depth + 1))
            elif op in _BRANCHES:
                if op == Op.BR_TABLE:
                    if depth in ins.immediates[0] or depth == ins.immediates[1]:
                        return None
                    continue
                if ins.immediates[0] != depth:
                    continue
                fact = _edge_fact(body, i) if op == Op.BR_IF else None
                if fact is None or (tested is not None and fact[0] != tested):
                    return None
                tested = fact[0]
                lo, hi = min(lo, fact[1][0]), max(hi, fact[1][1])
    return None if tested is None else (tested, (lo, hi))


def _step(body: tuple[Instruction, ...], j: int) -> int | None:
    """The constant ``s`` (signed, nonzero) where ``body[j]`` assigns ``x + s`` to the
    local ``x`` it sets (``local.get x; i32.const s; i32.add; local.set/tee x``); None
    for any other value. Raises nothing."""
    if j < 3 or isinstance(body[j - 1], Block) or isinstance(body[j - 2], Block):
        return None
    get, const, add = body[j - 3], body[j - 2], body[j - 1]
    if (add.opcode != _ADD or const.opcode != Op.I32_CONST or get.opcode != Op.LOCAL_GET
            or get.immediates[0] != body[j].immediates[0]):
        return None
    step = const.immediates[0] & _TOP32
    step = step - (1 << 32) if step >= 1 << 31 else step
    return step or None


def _assigns(loop: Block, local: int) -> int:
    """How many ``local.set``/``local.tee`` of ``local`` ``loop`` holds (nested ones
    included). Raises nothing."""
    count = 0
    work: list[tuple[Instruction, ...]] = [loop.body]
    while work:
        for ins in work.pop():
            if isinstance(ins, Block):
                work.append(ins.body)
                if ins.else_body:
                    work.append(ins.else_body)
            elif ins.opcode in _ASSIGN and ins.immediates[0] == local:
                count += 1
    return count


def stepped_range(loop: Block, before: dict[int, Range]) -> tuple[int, Range] | None:
    """``(local, range)`` at ``loop``'s header for a counter stepped by a constant and
    tested ``!=`` a constant on the loop's only back edge (module docstring), where
    ``before`` bounds it; None where the shape or the entry range does not fit (a start
    past the end, a step that could jump over it). The caller has checked that every
    branch to the loop is known (:func:`edge_ranges` returned None because of the
    ``i32.ne``, so this walks the branches again). Raises nothing."""
    body = loop.body
    n = len(body)
    if n < 4 or body[-1].opcode != Op.BR_IF or body[-1].immediates[0] != 0:
        return None
    test, end, cond = body[-4], body[-3], body[-2]
    if cond.opcode != _NE or isinstance(test, Block) or isinstance(end, Block):
        return None
    if end.opcode == Op.I32_CONST and test.opcode in _TESTED:
        return _constant_end(loop, before, test, end.immediates[0] & _TOP32)
    if end.opcode == Op.LOCAL_TEE and n >= 7 and test.opcode == _ADD:
        test, end = end, body[-7]  # the end read first: ``n; i + s; tee i; i32.ne``
    if test.opcode not in _TESTED or isinstance(end, Block) or end.opcode not in _TESTED:
        return None
    # a variable end: the counter is the tee'd one, or the one of the two the loop assigns
    if end.opcode == Op.LOCAL_TEE or (test.opcode == Op.LOCAL_GET and _assigns(
            loop, test.immediates[0]) == 0):
        test, end = end, test
    if end.opcode != Op.LOCAL_GET:
        return None
    return _variable_end(loop, before, test, end.immediates[0])


def _counter_step(loop: Block, before: dict[int, Range], test: Instruction
                  ) -> tuple[int, int] | None:
    """``(local, step)`` of the counter ``test`` reads or tees in the back edge's test of
    ``loop`` (:func:`stepped_range`): assigned once in the loop, at its top level, as
    ``x = x + step`` before the test, the loop's only back edge that one, and ``before``
    bounding it; None otherwise. Raises nothing."""
    body = loop.body
    n = len(body)
    local = test.immediates[0]
    if local not in before:
        return None
    at = next(k for k in range(n - 1, -1, -1) if body[k] is test)
    # the one assignment: the tested tee itself, or a top-level set before it
    j = at if test.opcode == Op.LOCAL_TEE else next(
        (k for k in range(at - 1, -1, -1) if not isinstance(body[k], Block)
         and body[k].opcode in _ASSIGN and body[k].immediates[0] == local), -1)
    step = _step(body, j) if j >= 0 else None
    if step is None or _assigns(loop, local) != 1 or _back_edges(loop) != 1:
        return None
    return local, step


def _constant_end(loop: Block, before: dict[int, Range], test: Instruction,
                  target: int) -> tuple[int, Range] | None:
    """:func:`stepped_range` for the end ``i32.const target``. Raises nothing."""
    counter = _counter_step(loop, before, test)
    if counter is None:
        return None
    local, step = counter
    lo, hi = before[local]
    if step > 0:
        ok = hi <= target - step and (step == 1 or (lo == hi and (target - lo) % step == 0))
        return (local, (lo, target - step)) if ok else None
    ok = lo >= target - step and (step == -1 or (lo == hi and (lo - target) % step == 0))
    return (local, (target - step, hi)) if ok else None


def _variable_end(loop: Block, before: dict[int, Range], test: Instruction,
                  end: int) -> tuple[int, Range] | None:
    """:func:`stepped_range` for the end ``local.get end``, a local the loop never
    assigns, so its value ``E`` is the one it had before the loop, in ``before[end]``.
    Steps of 1 only (no congruence is known): counting up, a start whose highest value is
    below the end's lowest (``i = 0`` after ``if (n < 1) skip``) is at most ``E - 1`` at
    every header, so ``i + 1`` cannot wrap, and the header's range is ``[start's lo, the
    end's hi - 1]``; counting down, the mirror. Raises nothing."""
    if end == test.immediates[0] or end not in before or _assigns(loop, end):
        return None
    counter = _counter_step(loop, before, test)
    if counter is None:
        return None
    local, step = counter
    lo, hi = before[local]
    end_lo, end_hi = before[end]
    if step == 1 and hi < end_lo:
        return local, (lo, end_hi - 1)
    if step == -1 and lo > end_hi:
        return local, (end_lo + 1, hi)
    return None


def _back_edges(loop: Block) -> int:
    """How many branches go back to ``loop`` (-1 if a ``br_table`` can, or the loop
    holds another construct than ``block``, ``loop`` and ``if``). Raises nothing."""
    count = 0
    work: list[tuple[tuple[Instruction, ...], int]] = [(loop.body, 0)]
    while work:
        body, depth = work.pop()
        for ins in body:
            op = ins.opcode
            if isinstance(ins, Block):
                if op not in _NESTED:
                    return -1
                work.append((ins.body, depth + 1))
                if ins.else_body:
                    work.append((ins.else_body, depth + 1))
            elif op in _BRANCHES:
                if op == Op.BR_TABLE:
                    if depth in ins.immediates[0] or depth == ins.immediates[1]:
                        return -1
                elif ins.immediates[0] == depth:
                    count += 1
    return count


def header_facts(loop: Block, before: dict[int, Range], after: dict[int, Range],
                 assigned: Iterable[int]) -> dict[int, Range]:
    """The facts at ``loop``'s header: ``after`` (the facts from ``before`` about locals
    the loop never assigns), plus, for the local the back edges test
    (:func:`edge_ranges`) if the loop assigns it and ``before`` bounds it, the hull of
    its range before the loop and on the back edges (walked only when ``before`` bounds
    some local the loop assigns). Returns ``after`` itself when nothing is added.
    Raises nothing."""
    if not any(k in before for k in assigned):
        return after
    edges = edge_ranges(loop)
    if edges is None:
        stepped = stepped_range(loop, before)
        if stepped is None:
            return after
        facts = dict(after)
        facts[stepped[0]] = stepped[1]
        return facts
    if edges[0] not in before:
        return after
    local, (lo, hi) = edges
    entry_lo, entry_hi = before[local]
    lo, hi = min(lo, entry_lo), max(hi, entry_hi)
    if lo == 0 and hi >= _TOP32:
        return after  # (nothing known)
    facts = dict(after)
    facts[local] = (lo, hi)
    return facts
