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


_NEGATED = {"lt_u": "ge_u", "ge_u": "lt_u", "gt_u": "le_u", "le_u": "gt_u", "eq": "ne", "ne": "eq",
            "lt_s": "ge_s", "ge_s": "lt_s", "gt_s": "le_s", "le_s": "gt_s"}
"""The comparison that holds where one of these was false."""

_FLIPPED = {"lt_s": "gt_s", "gt_s": "lt_s", "le_s": "ge_s", "ge_s": "le_s"}
"""``k OP x`` as ``x OP' k``."""


def _signed_fact(name: str, var: Entry, k: int, bits: int) -> Range | None:
    """The unsigned range of ``var`` where ``var NAME k`` holds (``name`` a signed
    comparison, ``k`` the constant's bit pattern): the values of the signed interval the
    comparison allows, as one or two unsigned intervals, each met with what is known of
    ``var``, and the hull of what is left (``x >= 1`` signed: ``[1, 2**31 - 1]``); None
    where nothing is left (an unreachable path) or nothing is learnt. Raises nothing."""
    half, full = 1 << (bits - 1), 1 << bits
    ks = k - full if k >= half else k
    s_lo, s_hi = {"lt_s": (-half, ks - 1), "le_s": (-half, ks),
                  "gt_s": (ks + 1, half - 1), "ge_s": (ks, half - 1)}[name]
    if s_lo > s_hi:
        return None
    v_lo, v_hi = bounds(var, bits)
    pieces = []
    if s_hi >= 0:  # the non-negative values, as they are
        pieces.append((max(s_lo, 0, v_lo), min(s_hi, v_hi)))
    if s_lo < 0:  # the negative ones, from 2**(bits-1) up
        pieces.append((max(s_lo + full, v_lo), min(min(s_hi, -1) + full, v_hi)))
    pieces = [(lo, hi) for lo, hi in pieces if lo <= hi]
    if not pieces:
        return None
    new = (min(lo for lo, _ in pieces), max(hi for _, hi in pieces))
    return None if new == (v_lo, v_hi) else new


def condition_facts(cond: Entry, truth: bool) -> list[tuple[str, Range]]:
    """Facts about variables that hold where ``cond`` evaluated to ``truth``.

    Returns ``[(variable name, (lo, hi))]`` to intersect with what is known. Only plain
    unsigned comparisons, signed comparisons of a variable with a constant, ``eqz`` and a
    variable used directly as a condition count. Raises nothing.
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
    if name in _FLIPPED:  # signed: a variable against a constant only
        if a_index is not None and isinstance(right.const, int):
            new = _signed_fact(name, left, right.const & ((1 << bits) - 1), bits)
            return facts if new is None else [(a_index, new)]
        if b_index is not None and isinstance(left.const, int):
            new = _signed_fact(_FLIPPED[name], right, left.const & ((1 << bits) - 1), bits)
            return facts if new is None else [(b_index, new)]
        return facts
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
