"""Value ranges: dropping wrap-around masks the generator can prove unnecessary.

Integers are unsigned bit patterns, so ``i32.add`` must wrap modulo 2**32. When both
operands are known to be small enough, the wrap cannot happen and the generator emits a
plain ``a + b`` (about twice as fast in CPython as ``(a + b) & 0xFFFFFFFF``).

Knowledge comes from constants, narrow loads, masks and shifts, and from *branch facts*:
on the path where ``i32.ge_u i n`` was false, ``i < n`` and so ``i <= 2**32 - 2``; that
is what makes ``i + 1`` in the usual loop safe. Facts about locals are kept per point of
the translation and are conservative at joins: after a construct, a local keeps its
facts from before the construct only if the construct never assigns it (see
:func:`assigned_locals`).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from ...syntax.instructions import Block, Instruction
from ...syntax.opcodes import Op
from .stack import Entry

__all__ = ["MAX_FACTS", "bounds", "width_of", "condition_facts", "assigned_locals", "Range"]

Range = tuple[int, int]

MAX_FACTS = 256
"""Most local range facts carried into a construct (they are copied at each one); beyond
it the facts are dropped, which only costs some wrap-around masks."""


def width_of(op_name: str) -> int:
    """Bit width of the integer type an opcode name works on (``i64.*`` -> 64, else 32)."""
    return 64 if op_name.startswith("i64") else 32


def bounds(entry: Entry, bits: int) -> Range:
    """Known ``(lo, hi)`` of an integer entry, the full range of its width if unknown."""
    lo = 0 if entry.lo is None else entry.lo
    hi = (1 << bits) - 1 if entry.hi is None else entry.hi
    return lo, hi


def _local_index(entry: Entry) -> str | None:
    """The variable name if the entry is exactly one plain variable, else None."""
    expr = entry.expr
    if entry.depth == 0 and entry.const is None and expr.isidentifier():
        return expr
    return None


_NEGATED = {"lt_u": "ge_u", "ge_u": "lt_u", "gt_u": "le_u", "le_u": "gt_u", "eq": "ne", "ne": "eq"}
"""The comparison that holds where one of these was false."""


def condition_facts(cond: Entry, truth: bool) -> list[tuple[str, Range]]:
    """Facts about variables that hold where ``cond`` evaluated to ``truth``.

    Returns ``[(variable name, (lo, hi))]`` to intersect with what is known. Only plain
    unsigned comparisons, ``eqz`` and a variable used directly as a condition count.
    """
    facts: list[tuple[str, Range]] = []
    if cond.compare is None:
        index = _local_index(cond)
        if index is not None and truth:
            facts.append((index, (1, (1 << 64) - 1)))
        elif index is not None:
            facts.append((index, (0, 0)))
        return facts
    op, left, right = cond.compare
    bits = width_of(op)
    name = op.split(".", 1)[1]
    if name == "eqz":
        index = _local_index(left)
        if index is not None:
            facts.append((index, (0, 0) if truth else (1, (1 << bits) - 1)))
        return facts
    a_index, b_index = _local_index(left), _local_index(right)
    if a_index is None and b_index is None:
        return facts  # (the commonest case: nothing to learn about a variable)
    if not truth:
        name = _NEGATED.get(name, "")
    a_lo, a_hi = bounds(left, bits)
    b_lo, b_hi = bounds(right, bits)
    top = (1 << bits) - 1
    new_a = new_b = None
    if name == "lt_u":  # a < b
        new_a, new_b = (a_lo, min(a_hi, b_hi - 1)), (max(b_lo, a_lo + 1), b_hi)
    elif name == "le_u":  # a <= b
        new_a, new_b = (a_lo, min(a_hi, b_hi)), (max(b_lo, a_lo), b_hi)
    elif name == "gt_u":  # a > b
        new_a, new_b = (max(a_lo, b_lo + 1), a_hi), (b_lo, min(b_hi, a_hi - 1))
    elif name == "ge_u":  # a >= b
        new_a, new_b = (max(a_lo, b_lo), a_hi), (b_lo, min(b_hi, a_hi))
    elif name == "eq":
        both = (max(a_lo, b_lo), min(a_hi, b_hi))
        new_a = new_b = both
    for index, new in ((a_index, new_a), (b_index, new_b)):
        if index is not None and new is not None and 0 <= new[0] <= new[1] <= top:
            facts.append((index, new))
    return facts


_ASSIGNING = {Op.LOCAL_SET, Op.LOCAL_TEE}


def assigned_locals(block: Block, cache: dict[int, frozenset[int]]) -> frozenset[int]:
    """Locals assigned anywhere in ``block``'s bodies (nested constructs included).

    Memoised in ``cache`` by ``id()`` of the Block; one walk fills in the answers for
    every construct nested in ``block`` as well, so asking for each construct of a
    function in turn (outermost first) visits every instruction once.
    """
    known = cache.get(id(block))
    if known is not None:
        return known
    assigning = _ASSIGNING
    found: list[set[int]] = [set()]
    work: list[tuple[Iterator[Instruction], Block]] = [
        (chain(block.body, block.else_body), block)]
    while work:
        it, current = work[-1]
        out = found[-1]
        for ins in it:
            if ins.opcode in assigning:
                out.add(ins.immediates[0])
            elif isinstance(ins, Block):
                inner = cache.get(id(ins))
                if inner is not None:
                    out |= inner
                    continue
                work.append((chain(ins.body, ins.else_body), ins))
                found.append(set())
                break
        else:
            work.pop()
            done = found.pop()
            cache[id(current)] = frozenset(done)
            if found:
                found[-1] |= done
    return cache[id(block)]
