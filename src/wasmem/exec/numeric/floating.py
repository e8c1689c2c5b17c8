"""Floating-point operators (spec "Execution / Numerics / Floating-Point Operations").

Operands and results use the runtime representation described in
:mod:`wasmem.exec.numeric.bits`.  f64 operators work on the double directly; the f32
``add sub mul div sqrt`` compute in double precision and round once to f32 with
:func:`~wasmem.exec.numeric.bits.f32_round`, which is exact (see its docstring).  The other
f32 operators (min, max, rounding to integers, sign operations, comparisons) never leave
the set of f32 values, so they share the f64 code.

NaN results follow the spec's NaN propagation ("Numerics / NaN Propagation"): with no NaN
operand the result is a canonical NaN; otherwise it is the first NaN operand with its
quiet bit set (an arithmetic NaN, and what x86 and ARM hardware return).  ``abs``, ``neg``
and ``copysign`` only touch the sign bit, so NaN payloads pass through bit-exactly.

No function here raises: division by zero, overflow, invalid operations and infinities
give IEEE results, never a Python ZeroDivisionError, OverflowError or ValueError.
"""


from __future__ import annotations

import math
import struct

from .bits import F64_QUIET_BIT, quiet_nan

__all__ = [
    "f32_abs",
    "f32_add",
    "f32_ceil",
    "f32_copysign",
    "f32_div",
    "f32_eq",
    "f32_floor",
    "f32_ge",
    "f32_gt",
    "f32_le",
    "f32_lt",
    "f32_max",
    "f32_min",
    "f32_mul",
    "f32_ne",
    "f32_nearest",
    "f32_neg",
    "f32_sqrt",
    "f32_sub",
    "f32_trunc",
    "f64_abs",
    "f64_add",
    "f64_ceil",
    "f64_copysign",
    "f64_div",
    "f64_eq",
    "f64_floor",
    "f64_ge",
    "f64_gt",
    "f64_le",
    "f64_lt",
    "f64_max",
    "f64_min",
    "f64_mul",
    "f64_ne",
    "f64_nearest",
    "f64_neg",
    "f64_sqrt",
    "f64_sub",
    "f64_trunc",
]

_F32 = struct.Struct("<f")
_F64 = struct.Struct("<d")
_U64 = struct.Struct("<Q")
_pack_f32 = _F32.pack
_unpack_f32 = _F32.unpack
_pack_f64 = _F64.pack
_unpack_f64 = _F64.unpack
_pack_u64 = _U64.pack
_unpack_u64 = _U64.unpack

_copysign = math.copysign
_sqrt = math.sqrt
_INF = math.inf
_NAN = math.nan  # 0x7FF8000000000000: the positive canonical NaN, for f32 and f64 alike
_SIGN = 1 << 63
_F64_LOW_29 = 0x1FFF_FFFF
_INTEGRAL = 4503599627370496.0  # 2**52: every double at least this large is an integer


# ---------------------------------------------------------------- NaN results

def _f32_nan(value: float) -> float:
    """A double NaN in the f32 representation: top 23 mantissa bits kept, quiet bit set."""
    bits = _unpack_u64(_pack_f64(value))[0]
    return _unpack_f64(_pack_u64(bits & ~_F64_LOW_29 | F64_QUIET_BIT))[0]


def _nan_of(a: float, b: float) -> float:
    """The NaN result of a binary operator with a NaN operand: the first NaN, quieted."""
    return quiet_nan(a if a != a else b)


def _divide_by_zero(a: float, b: float) -> float:
    """``a / b`` for a zero ``b`` (either sign): +/-inf, or NaN for 0/0 and NaN/0."""
    if a != a:
        return quiet_nan(a)
    if a == 0.0:
        return _NAN
    negative = (_copysign(1.0, a) < 0.0) != (_copysign(1.0, b) < 0.0)
    return -_INF if negative else _INF


# ---------------------------------------------------------------- f64 arithmetic

def f64_add(a: float, b: float) -> float:
    """Return ``a + b`` (spec "fadd").  Raises nothing."""
    return a + b


def f64_sub(a: float, b: float) -> float:
    """Return ``a - b`` (spec "fsub").  Raises nothing."""
    return a - b


def f64_mul(a: float, b: float) -> float:
    """Return ``a * b`` (spec "fmul").  Raises nothing."""
    return a * b


def f64_div(a: float, b: float) -> float:
    """Return ``a / b`` (spec "fdiv"): division by zero gives +/-inf, 0/0 a canonical NaN.

    Raises nothing.
    """
    if b:
        return a / b
    return _divide_by_zero(a, b)


def f64_sqrt(a: float) -> float:
    """Return the square root of ``a`` (spec "fsqrt"): NaN for negative ``a``, -0 for -0.

    Raises nothing.
    """
    if a >= 0.0:
        return _sqrt(a)
    return quiet_nan(a) if a != a else _NAN


# ---------------------------------------------------------------- f32 arithmetic

def f32_add(a: float, b: float) -> float:
    """Return the f32 ``a + b`` (spec "fadd"), correctly rounded.  Raises nothing."""
    x = a + b
    if x != x:
        return _f32_nan(x)
    try:
        return _unpack_f32(_pack_f32(x))[0]
    except OverflowError:
        return _copysign(_INF, x)


def f32_sub(a: float, b: float) -> float:
    """Return the f32 ``a - b`` (spec "fsub"), correctly rounded.  Raises nothing."""
    x = a - b
    if x != x:
        return _f32_nan(x)
    try:
        return _unpack_f32(_pack_f32(x))[0]
    except OverflowError:
        return _copysign(_INF, x)


def f32_mul(a: float, b: float) -> float:
    """Return the f32 ``a * b`` (spec "fmul"), correctly rounded.  Raises nothing."""
    x = a * b
    if x != x:
        return _f32_nan(x)
    try:
        return _unpack_f32(_pack_f32(x))[0]
    except OverflowError:
        return _copysign(_INF, x)


def f32_div(a: float, b: float) -> float:
    """Return the f32 ``a / b`` (spec "fdiv"), correctly rounded; x/0 is +/-inf or NaN.

    Raises nothing.
    """
    if not b:
        return _divide_by_zero(a, b)  # inf, canonical NaN or a quieted f32 NaN
    x = a / b
    if x != x:
        return _f32_nan(x)
    try:
        return _unpack_f32(_pack_f32(x))[0]
    except OverflowError:
        return _copysign(_INF, x)


def f32_sqrt(a: float) -> float:
    """Return the f32 square root of ``a`` (spec "fsqrt"), correctly rounded.

    NaN for negative ``a``.  Raises nothing.
    """
    if a >= 0.0:
        return _unpack_f32(_pack_f32(_sqrt(a)))[0]  # sqrt of an f32 never overflows
    return quiet_nan(a) if a != a else _NAN


# ---------------------------------------------------------------- min / max

def f64_min(a: float, b: float) -> float:
    """Return the smaller of ``a`` and ``b`` (spec "fmin"); also ``f32.min``.

    A NaN operand gives a NaN (the first NaN, quieted); ``min(-0, +0)`` is -0.
    Raises nothing.
    """
    if a < b:
        return a
    if b < a:
        return b
    if a == b:
        if a or _copysign(1.0, a) < 0.0:
            return a
        return b  # a is +0: b is -0 or +0
    return _nan_of(a, b)


def f64_max(a: float, b: float) -> float:
    """Return the larger of ``a`` and ``b`` (spec "fmax"); also ``f32.max``.

    A NaN operand gives a NaN (the first NaN, quieted); ``max(-0, +0)`` is +0.
    Raises nothing.
    """
    if a > b:
        return a
    if b > a:
        return b
    if a == b:
        if a or _copysign(1.0, a) > 0.0:
            return a
        return b  # a is -0: b is -0 or +0
    return _nan_of(a, b)


# ---------------------------------------------------------------- rounding to integers

# Rounding to an integer without leaving floating point: for 0 < |a| < 2**52, adding and
# then subtracting 2**52 (with a's sign) rounds a to the nearest integer, ties to even,
# because the sum lies in [2**52, 2**53) where doubles are exactly the integers.  ceil,
# floor and trunc correct that by one where it went the wrong way.  Zero results take the
# sign of ``a`` (spec: ceil(-0.5) = -0).  |a| >= 2**52, infinities and zeros are already
# integral; NaN gives the quieted NaN.

def f64_nearest(a: float) -> float:
    """Return ``a`` rounded to the nearest integer, ties to even (spec "fnearest").

    Also ``f32.nearest``.  Keeps the sign of a zero result (``nearest(-0.5)`` is -0); inf
    stays inf; NaN gives the quieted NaN.  Raises nothing.
    """
    if 0.0 < a < _INTEGRAL:
        return a + _INTEGRAL - _INTEGRAL
    if -_INTEGRAL < a < 0.0:
        r = a - _INTEGRAL + _INTEGRAL
        return r if r else -0.0
    return a if a == a else quiet_nan(a)


def f64_ceil(a: float) -> float:
    """Return the smallest integer not below ``a`` (spec "fceil"); also ``f32.ceil``.

    Keeps the sign of a zero result (``ceil(-0.5)`` is -0); inf stays inf; NaN gives the
    quieted NaN.  Raises nothing.
    """
    if 0.0 < a < _INTEGRAL:
        r = a + _INTEGRAL - _INTEGRAL
        return r + 1.0 if r < a else r
    if -_INTEGRAL < a < 0.0:
        r = a - _INTEGRAL + _INTEGRAL
        if r < a:
            r += 1.0
        return r if r else -0.0
    return a if a == a else quiet_nan(a)


def f64_floor(a: float) -> float:
    """Return the largest integer not above ``a`` (spec "ffloor"); also ``f32.floor``.

    Keeps the sign of a zero result; inf stays inf; NaN gives the quieted NaN.
    Raises nothing.
    """
    if 0.0 < a < _INTEGRAL:
        r = a + _INTEGRAL - _INTEGRAL
        return r - 1.0 if r > a else r
    if -_INTEGRAL < a < 0.0:
        r = a - _INTEGRAL + _INTEGRAL
        return r - 1.0 if r > a else r  # never zero: a < 0 rounds down to -1 or below
    return a if a == a else quiet_nan(a)


def f64_trunc(a: float) -> float:
    """Return ``a`` rounded toward zero (spec "ftrunc"); also ``f32.trunc``.

    Keeps the sign of a zero result; inf stays inf; NaN gives the quieted NaN.
    Raises nothing.
    """
    if 0.0 < a < _INTEGRAL:
        r = a + _INTEGRAL - _INTEGRAL
        return r - 1.0 if r > a else r
    if -_INTEGRAL < a < 0.0:
        r = a - _INTEGRAL + _INTEGRAL
        if r < a:
            r += 1.0
        return r if r else -0.0
    return a if a == a else quiet_nan(a)


# ---------------------------------------------------------------- sign operations

def f64_abs(a: float) -> float:
    """Return ``a`` with its sign bit cleared (spec "fabs"); also ``f32.abs``.

    Bit-exact for NaNs.  Raises nothing.
    """
    if a == a:
        return abs(a)
    return _unpack_f64(_pack_u64(_unpack_u64(_pack_f64(a))[0] & ~_SIGN))[0]


def f64_neg(a: float) -> float:
    """Return ``a`` with its sign bit flipped (spec "fneg"); also ``f32.neg``.

    Bit-exact for NaNs.  Raises nothing.
    """
    if a == a:
        return -a
    return _unpack_f64(_pack_u64(_unpack_u64(_pack_f64(a))[0] ^ _SIGN))[0]


def f64_copysign(a: float, b: float) -> float:
    """Return ``a`` with the sign bit of ``b`` (spec "fcopysign"); also ``f32.copysign``.

    Bit-exact for NaNs in either operand.  Raises nothing.
    """
    if a == a and b == b:
        return _copysign(a, b)
    bits_a = _unpack_u64(_pack_f64(a))[0]
    bits_b = _unpack_u64(_pack_f64(b))[0]
    return _unpack_f64(_pack_u64(bits_a & ~_SIGN | bits_b & _SIGN))[0]


# ---------------------------------------------------------------- comparisons

def f64_eq(a: float, b: float) -> int:
    """Return 1 if ``a == b`` else 0 (spec "feq"; NaN is unequal to everything, -0 == +0)."""
    return 1 if a == b else 0


def f64_ne(a: float, b: float) -> int:
    """Return 1 if ``a != b`` else 0 (spec "fne"; 1 when either is NaN)."""
    return 1 if a != b else 0


def f64_lt(a: float, b: float) -> int:
    """Return 1 if ``a < b`` else 0 (spec "flt"; 0 when either is NaN)."""
    return 1 if a < b else 0


def f64_gt(a: float, b: float) -> int:
    """Return 1 if ``a > b`` else 0 (spec "fgt"; 0 when either is NaN)."""
    return 1 if a > b else 0


def f64_le(a: float, b: float) -> int:
    """Return 1 if ``a <= b`` else 0 (spec "fle"; 0 when either is NaN)."""
    return 1 if a <= b else 0


def f64_ge(a: float, b: float) -> int:
    """Return 1 if ``a >= b`` else 0 (spec "fge"; 0 when either is NaN)."""
    return 1 if a >= b else 0


# The f32 operators that never produce a value outside the f32 set are the f64 ones.
f32_min = f64_min
f32_max = f64_max
f32_ceil = f64_ceil
f32_floor = f64_floor
f32_trunc = f64_trunc
f32_nearest = f64_nearest
f32_abs = f64_abs
f32_neg = f64_neg
f32_copysign = f64_copysign
f32_eq = f64_eq
f32_ne = f64_ne
f32_lt = f64_lt
f32_gt = f64_gt
f32_le = f64_le
f32_ge = f64_ge
