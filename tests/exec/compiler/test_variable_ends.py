"""Counters stepped by one and tested ``!=`` a local end at a loop's back edge
(``exec/compiler/loop_facts.stepped_range``, a variable end), and the ranges signed
comparisons with a constant give (``exec/compiler/ranges.condition_facts``): clang's
``for (i = 0; i < n; i++)`` over an ``int n``, guarded ``if (n < 1) skip`` before the
loop and rotated to ``i + 1 != n``.

Where the start's highest value is below the end's lowest (or above it, counting
down) and the loop never assigns the end, the step is a plain addition; a start that can
reach the end's range, a step of 2, an end the loop assigns, or another back edge keeps
the wrap-around. Each loop is also left after 3,000 rounds and its result uses the
counter, and the wrapping cases start near ``2**32`` so that a counter that grew past
``2**32`` in Python instead of wrapping gives another result. Every case agrees with
the interpreter and with wasmtime; the signed facts are checked against every value of
small ranges too."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wasmem.exec.compiler import ranges
from wasmem.exec.compiler.ranges import condition_facts
from wasmem.exec.compiler.stack import Entry, int_constant

from wrap_checks import WrapChecks


def _loop(name: str, start: str, guard: str, step: int = 1, form: str = "tee",
          body: str = "") -> str:
    """A counter (local 1) from ``start`` stepped by ``step`` until it is the end (the
    parameter, local 0), after ``guard``; summed into local 2, rounds counted in local 3
    (left after 3,000). ``form``: ``tee`` (the step teed, then the end), ``swapped``
    (the end, then the step teed), ``set`` (a top-level ``local.set``, then a
    ``local.get`` of the counter and of the end)."""
    stepped = f"(i32.add (local.get 1) (i32.const {step}))"
    if form == "tee":
        back = f"(br_if 0 (i32.ne (local.tee 1 {stepped}) (local.get 0)))"
    elif form == "swapped":
        back = f"(br_if 0 (i32.ne (local.get 0) (local.tee 1 {stepped})))"
    else:
        back = (f"(local.set 1 {stepped}) (local.set 2 (i32.xor (local.get 2) (i32.const 1)))"
                f" (br_if 0 (i32.ne (local.get 1) (local.get 0)))")
    return f"""
  (func (export "{name}") (param i32) (result i32) (local i32 i32 i32)
    (local.set 1 {start})
    (block
      {guard}
      (loop
        (local.set 2 (i32.add (local.get 2) (i32.xor (local.get 1) (i32.const 3))))
        (local.set 3 (i32.add (local.get 3) (i32.const 1)))
        (br_if 1 (i32.gt_u (local.get 3) (i32.const 3000)))
        {body}
        {back}))
    (i32.xor (i32.xor (local.get 2) (local.get 3)) (i32.mul (local.get 1) (i32.const 7919))))"""


_POSITIVE = "(br_if 0 (i32.lt_s (local.get 0) (i32.const 1)))"
"""``if (n < 1) skip``: the end in ``[1, 2**31 - 1]`` after it."""

PLAIN = {
    "up": _loop("up", "(i32.const 0)", _POSITIVE),
    "up_swapped": _loop("up_swapped", "(i32.const 0)", _POSITIVE, form="swapped"),
    "up_set": _loop("up_set", "(i32.const 0)", _POSITIVE, form="set"),
    "up_eqz": _loop("up_eqz", "(i32.const 0)", "(br_if 0 (i32.eqz (local.get 0)))"),
    "up_le_s": _loop("up_le_s", "(i32.const 0)",
                     "(br_if 0 (i32.le_s (local.get 0) (i32.const 0)))"),
    "up_const_first": _loop("up_const_first", "(i32.const 0)",
                            "(br_if 0 (i32.gt_s (i32.const 8) (local.get 0)))"),
    "from_range": _loop("from_range", "(i32.and (local.get 0) (i32.const 7))",
                        "(br_if 0 (i32.lt_s (local.get 0) (i32.const 8)))"),
    "down": _loop("down", "(i32.const 4000)",
                  "(br_if 0 (i32.ge_u (local.get 0) (i32.const 4000)))", step=-1),
    "down_signed": _loop("down_signed", "(i32.const 4000)",
                         "(br_if 0 (i32.lt_s (local.get 0) (i32.const 0)))"
                         "(br_if 0 (i32.ge_s (local.get 0) (i32.const 4000)))", step=-1),
}
"""Loops whose step needs no wrap-around."""

WRAPPING = {
    # no guard: an end of 0 (or below the start) is reached only after a wrap
    "unguarded": _loop("unguarded", "(i32.const -5)", ""),
    # a start above the end's lowest value: -5 + 1 ... wraps to 0, then counts up
    "start_high": _loop("start_high", "(i32.const -5)", _POSITIVE),
    # ``n >= -10`` signed: the end in [0, 2**31 - 1] or [2**32 - 10, 2**32 - 1]
    "signed_hull": _loop("signed_hull", "(i32.const -100)",
                         "(br_if 0 (i32.lt_s (local.get 0) (i32.const -10)))"),
    # a step of 2 can jump over the end (from 2**32 - 6 to an end of 2**32 - 3)
    "by2": _loop("by2", "(i32.const -6)",
                 "(br_if 0 (i32.lt_u (local.get 0) (i32.const -5)))", step=2),
    # counted down from below the end's highest value: 3 - 1 ... wraps to 2**32 - 1
    "down_below": _loop("down_below", "(i32.const 3)", "(br_if 0 (i32.eqz (local.get 0)))",
                        step=-1),
    # the loop assigns the end
    "end_moves": _loop("end_moves", "(i32.const 0)", _POSITIVE,
                       body="(local.set 0 (select (i32.const 0) (local.get 0) "
                            "(i32.eq (local.get 3) (i32.const 5))))"),
    # another back edge, before the step
    "continue": _loop("continue", "(i32.const 0)", _POSITIVE,
                      body="(br_if 0 (i32.eq (local.get 3) (i32.const 7)))"),
}
"""Loops that must keep the wrap-around of their step."""


EDGES = [0, 1, 2, 3, 7, 8, 9, 16, 999, 3999, 4000, 4001, 2**31 - 1, 2**31, 2**32 - 101,
         2**32 - 100, 2**32 - 11, 2**32 - 10, 2**32 - 6, 2**32 - 5, 2**32 - 3, 2**32 - 1]


class TestVariableEnds(WrapChecks):
    """Every case on both tiers and wasmtime; only ``PLAIN``'s lose the wrap."""

    PLAIN = PLAIN
    WRAPPING = WRAPPING
    EDGES = EDGES


# ---------------------------------------------------------------- signed comparisons

_SIGNED = ("lt_s", "le_s", "gt_s", "ge_s")


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) else value


def _holds(name: str, a: int, b: int, bits: int) -> bool:
    a, b = _signed(a, bits), _signed(b, bits)
    return {"lt_s": a < b, "le_s": a <= b, "gt_s": a > b, "ge_s": a >= b}[name]


def _check(name: str, lo: int, hi: int, k: int, var_first: bool, truth: bool) -> None:
    """Every value of ``[lo, hi]`` for which the comparison is ``truth`` lies in the fact
    :func:`condition_facts` gives (if any), and the fact lies in ``[lo, hi]``."""
    facts = condition_facts(_cond(name, lo, hi, k, var_first), truth)
    if not facts:
        return
    ((local, (f_lo, f_hi)),) = facts
    assert local == "l5" and lo <= f_lo <= f_hi <= hi
    for v in range(lo, hi + 1):
        a, b = (v, k) if var_first else (k, v)
        if _holds(name, a, b, 32) is truth:
            assert f_lo <= v <= f_hi, (name, lo, hi, k, var_first, truth, v)


@pytest.mark.parametrize("name", _SIGNED)
@pytest.mark.parametrize("var_first", [True, False])
@pytest.mark.parametrize("truth", [True, False])
def test_signed_facts_hold_at_the_edges(name: str, var_first: bool, truth: bool) -> None:
    top = 2**32 - 1
    ranges = [(0, 40), (2**31 - 20, 2**31 + 20), (top - 40, top), (0, top)]
    for k in (0, 1, 5, 2**31 - 1, 2**31, 2**31 + 1, top - 5, top):
        for lo, hi in ranges:
            if hi - lo > 100:  # the whole space: the fact's bounds at the edges only
                facts = condition_facts(_cond(name, lo, hi, k, var_first), truth)
                for _, (f_lo, f_hi) in facts:
                    for v in (f_lo - 1, f_hi + 1, 0, 2**31 - 1, 2**31, top):
                        if 0 <= v <= top and not f_lo <= v <= f_hi:
                            a, b = (v, k) if var_first else (k, v)
                            assert _holds(name, a, b, 32) is not truth
                continue
            _check(name, lo, hi, k, var_first, truth)


def _cond(name: str, lo: int, hi: int, k: int, var_first: bool) -> Entry:
    var = Entry("l5", frozenset(("l5",)), False, None, False, 0, lo, hi)
    const = int_constant(k)
    cond = Entry("c", frozenset(), False, None, True, 1)
    cond.compare = (f"i32.{name}", *((var, const) if var_first else (const, var)))
    return cond


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_SIGNED), st.integers(0, 255), st.integers(0, 255),
       st.integers(0, 255), st.booleans())
def test_signed_facts_hold_on_8_bit_patterns(name: str, a: int, b: int, k: int,
                                             var_first: bool) -> None:
    """The same on a narrow width where every value can be tried (the fact's code is
    width-generic: ``bits`` 8 stands in for 32 and 64)."""
    lo, hi = min(a, b), max(a, b)
    var = Entry("l5", frozenset(("l5",)), False, None, False, 0, lo, hi)
    new = ranges._signed_fact(name if var_first else ranges._FLIPPED[name], var, k, 8)
    if new is None:
        return
    assert lo <= new[0] <= new[1] <= hi
    for v in range(lo, hi + 1):
        x, y = (v, k) if var_first else (k, v)
        if _holds(name, x, y, 8):
            assert new[0] <= v <= new[1]
