"""f32 arithmetic rounded through a scratch ``'f'`` view instead of a call.

Every f32 ``add``/``sub``/``mul``/``div``/``sqrt`` is computed in double precision and
rounded once to f32 (exact: see :func:`wasmem.exec.numeric.bits.f32_round`).  The template
of :mod:`.ops` rounds with a call, ``n_f32_round(a + b)`` (a Python function: about 250 ns
in CPython 3.11).  Here the result is stored into a one-element ``memoryview`` cast to
``'f'`` (``n_SF``) and read back, on one line, as a statement::

    n_SF[0] = l5 * l9; s3 = n_SF[0]

Storing a double into an ``'f'`` view is the C cast ``(float)d`` and reading it back is
``(double)f``: the IEEE conversions, which round to nearest even, overflow to infinity,
round into the subnormals, and map a NaN to the quiet f32 NaN with its sign and the top
23 bits of its payload, which is what ``f32_round`` computes (:func:`f32_scratch_exact`
checks that once, on a list of hard cases, else the calls stay).  The two subscripts
cost about a fifth of the call.  The store and the load are on one line, with no call
between them, like the reinterpretations of :mod:`.numeric_inline` (see its
``SCRATCH_EXACT``: no thread switch can come between them with a global interpreter
lock; without one, nothing changes).

Also rounded so: ``f32.div`` by a non-zero divisor (Python's ``/``, else the library
call), ``f32.sqrt`` of a non-negative operand (:func:`math.sqrt`), ``f32.demote_f64``
and the conversions from i32 (exact in double first).  ``f64.promote_f32`` is its
operand unless that is a NaN (no call), and the reinterpretations between f32 and i32
go through two views of one scratch buffer, unless the value is a NaN.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..numeric import f32_round
from .numeric_bindings import SCRATCH_VIEWS, numeric_name
from .numeric_inline import INLINE_SPECIAL, SCRATCH_EXACT, fold_constants
from .stack import Entry

if TYPE_CHECKING:
    from .numeric_inline import FunctionCompiler
else:
    FunctionCompiler = Any

__all__ = ["F32_SPECIAL", "f32_scratch_exact", "hard_cases"]

_BITS = struct.Struct("<Q")
_DOUBLE = struct.Struct("<d")


def _from_bits(bits: int) -> float:
    return float(_DOUBLE.unpack(_BITS.pack(bits))[0])


def hard_cases() -> list[float]:
    """Doubles on which rounding to f32 is easy to get wrong: around the largest f32
    (ties to infinity included), in and below the subnormals (ties included), NaNs of
    several payloads (signalling ones too) of both signs, zeros, infinities, and a
    fixed pseudo-random sample.  Raises nothing."""
    big = 3.4028234663852886e38  # the largest f32
    half_ulp = 2.0 ** 103  # half an f32 ulp at the top of the range
    tiny = 2.0 ** -149  # the smallest f32 subnormal
    values = [0.0, -0.0, math.inf, -math.inf, big, -big, big + half_ulp, -(big + half_ulp),
              math.nextafter(big + half_ulp, 0.0), math.nextafter(big + half_ulp, math.inf),
              1e39, -1e300, tiny, tiny / 2, -tiny / 2, math.nextafter(tiny / 2, 1.0),
              tiny * 1.5, tiny * 2.5, -tiny * 2.5, 2.0 ** -126, 2.0 ** -127 * 3, 5e-324,
              1.0 + 2.0 ** -24, 1.0 + 3 * 2.0 ** -24, 1.0 + 2.0 ** -24 + 2.0 ** -52,
              0.1, -0.3, 16777217.0]
    for bits in (0x7FF0_0000_0000_0001, 0xFFF4_0000_DEAD_BEEF, 0x7FF8_0000_0000_0000,
                 0xFFF8_0000_0000_0000, 0x7FF8_0000_0000_0001, 0x7FFF_FFFF_FFFF_FFFF,
                 0xFFF0_0000_2000_0000, 0x7FF4_0000_0000_0000):
        values.append(_from_bits(bits))
    state = 0x9E37_79B9_7F4A_7C15
    for _ in range(64):  # a fixed xorshift sequence: any bits, then f32-range exponents
        state ^= (state << 13) & 0xFFFF_FFFF_FFFF_FFFF
        state ^= state >> 7
        state ^= (state << 17) & 0xFFFF_FFFF_FFFF_FFFF
        values.append(_from_bits(state))
        values.append(_from_bits(state & 0x800F_FFFF_FFFF_FFFF | (0x360 + state % 0x140) << 52))
    return values


def _f32_scratch_exact() -> bool:
    """Whether the ``'f'`` scratch view rounds exactly as :func:`f32_round` (bit for bit)
    on :func:`hard_cases`, on a Python where :data:`.numeric_inline.SCRATCH_EXACT` holds."""
    if not SCRATCH_EXACT:
        return False
    view = SCRATCH_VIEWS["n_SF"]
    for value in hard_cases():
        view[0] = value
        if _DOUBLE.pack(view[0]) != _DOUBLE.pack(f32_round(value)):
            return False
    return True


_EXACT: list[bool] = []


def f32_scratch_exact() -> bool:
    """Whether f32 results are rounded through the scratch view ``n_SF`` (else by calls):
    :func:`_f32_scratch_exact`, checked once per process at the first f32 operation
    translated (not at import: the translator's import is on a first result's path).
    Raises nothing."""
    if not _EXACT:
        _EXACT.append(_f32_scratch_exact())
    return _EXACT[0]


def _round(c: FunctionCompiler, value: str) -> bool:
    """Emit ``n_SF[0] = value; s<n> = n_SF[0]`` (the operands, already popped, are in
    ``value``; impure entries below them run first) and push the slot."""
    c.stack.flush_impure()
    c.assign_result("n_SF[0]", head=f"n_SF[0] = {value}; ")
    return True


_SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


def _binary(c: FunctionCompiler, name: str) -> bool:
    """``f32.add``/``sub``/``mul``/``div``: the double operation, rounded; a division by
    an operand not known non-zero tests it, and calls the library for a zero (its
    result, an infinity or a quiet NaN, goes through the view unchanged)."""
    if not f32_scratch_exact():
        return False
    stack = c.stack
    a, b = stack.items[-2], stack.items[-1]
    if a.const is not None and b.const is not None:
        return fold_constants(c, name, [a, b])
    op = name[4:]
    if op != "div" or (isinstance(b.const, float) and b.const):
        stack.pop_n(2)
        return _round(c, f"{a.expr} {_SYMBOLS[op]} {b.expr}")
    a = stack.make_simple(len(stack.items) - 2)
    b = stack.make_simple(len(stack.items) - 1)
    stack.pop_n(2)
    return _round(c, f"{a.expr} / {b.expr} if {b.expr} else "
                     f"{numeric_name(name)}({a.expr}, {b.expr})")


def _operand(c: FunctionCompiler, name: str, scratch: bool = True,
             simple: bool = True) -> Entry | bool:
    """The operand of unary ``name``, popped (made a variable or constant first if
    ``simple``), or what the emitter returns instead: False when ``scratch`` and the
    scratch view is not used, the folded constant's True or False."""
    if scratch and not f32_scratch_exact():
        return False
    x = c.stack.items[-1]
    if x.const is not None:
        return fold_constants(c, name, [x])
    if simple:
        x = c.stack.make_simple(len(c.stack.items) - 1)
    c.stack.pop_n(1)
    return x


def _sqrt(c: FunctionCompiler, name: str) -> bool:
    """``f32.sqrt``: :func:`math.sqrt` of a non-negative operand, rounded; else the
    library call (a NaN)."""
    x = _operand(c, name)
    if isinstance(x, bool):
        return x
    return _round(c, f"n_sqrt({x.expr}) if {x.expr} >= 0.0 else {numeric_name(name)}({x.expr})")


def _convert(c: FunctionCompiler, name: str) -> bool:
    """``f32.demote_f64`` and ``f32.convert_i32_s/u``: the value (exact as a double),
    rounded; :mod:`.numeric_inline`'s ``float(x)`` for small non-negative integers."""
    special = INLINE_SPECIAL.get(name)
    if special is not None and special(c, name):
        return True
    x = _operand(c, name, simple=False)
    if isinstance(x, bool):
        return x
    if name == "f32.demote_f64":
        return _round(c, x.expr)
    if name == "f32.convert_i32_u":
        return _round(c, f"float({x.expr})")
    return _round(c, f"float(({x.expr} ^ 0x80000000) - 0x80000000)")


def _promote(c: FunctionCompiler, name: str) -> bool:
    """``f64.promote_f32``: the value itself unless a NaN (exact); a NaN gets the
    library call (which sets its quiet bit)."""
    x = _operand(c, name, scratch=False)
    if isinstance(x, bool):
        return x
    c.stack.push(Entry(f"({x.expr} if {x.expr} == {x.expr} else {numeric_name(name)}({x.expr}))",
                       x.refs, x.impure, None, False, 1))
    return True


def _reinterpret(c: FunctionCompiler, name: str) -> bool:
    """``i32.reinterpret_f32`` / ``f32.reinterpret_i32`` of a value that is not a NaN:
    the 4 bytes through the two views of the scratch buffer (``n_SF``, ``n_SI``); a NaN
    (whose bits the ``'f'`` view's conversion may change) gets the library call."""
    x = _operand(c, name)
    if isinstance(x, bool):
        return x
    c.stack.flush_impure()
    call = f"{numeric_name(name)}({x.expr})"
    if name == "i32.reinterpret_f32":
        c.assign_result(f"n_SI[0] if {x.expr} == {x.expr} else {call}",
                        head=f"n_SF[0] = {x.expr}; ")
        result = c.stack.items[-1]
        result.lo, result.hi = 0, (1 << 32) - 1
        return True
    c.assign_result(f"n_SF[0] if {x.expr} & 0x7FFFFFFF <= 0x7F800000 else {call}",
                    head=f"n_SI[0] = {x.expr}; ")
    return True


F32_SPECIAL: dict[str, Callable[[FunctionCompiler, str], bool]] = {
    **{f"f32.{op}": _binary for op in _SYMBOLS}, "f32.sqrt": _sqrt, "f32.demote_f64": _convert,
    "f32.convert_i32_s": _convert, "f32.convert_i32_u": _convert, "f64.promote_f32": _promote,
    "i32.reinterpret_f32": _reinterpret, "f32.reinterpret_i32": _reinterpret,
}
"""Special emitters of this module by operator name (merged into emit_numeric's, over
:data:`.numeric_inline.INLINE_SPECIAL`)."""
