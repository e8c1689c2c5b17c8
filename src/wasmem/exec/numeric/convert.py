"""Conversions (spec "Execution / Numerics / Conversions").

Integer widths, float to integer truncation (trapping and saturating), integer to float
conversion (correctly rounded from the integer, ties to even), demotion, promotion and
reinterpretation.  Values use the runtime representation of
:mod:`wasmem.exec.numeric.bits`.

Only the trapping truncations raise: :class:`wasmem.errors.Trap` with
"invalid conversion to integer" for a NaN and "integer overflow" when the truncated value
does not fit the target type.  An f32 operand is the double with the same value, so each
truncation function serves f32 and f64 operands alike; the range tests are on the real
value, e.g. ``i32.trunc_f32_s`` accepts -2147483648.0 (and -2147483904.0, the next f32
down, is rejected) and rejects 2147483648.0.
"""


from __future__ import annotations

import struct

from ...errors import Trap, TrapMessage
from .bits import (
    f32_from_bits,
    f32_round,
    f32_to_bits,
    f64_from_bits,
    f64_to_bits,
    quiet_nan,
)

__all__ = [
    "f32_convert_i32_s",
    "f32_convert_i32_u",
    "f32_convert_i64_s",
    "f32_convert_i64_u",
    "f32_demote_f64",
    "f32_reinterpret_i32",
    "f64_convert_i32_s",
    "f64_convert_i32_u",
    "f64_convert_i64_s",
    "f64_convert_i64_u",
    "f64_promote_f32",
    "f64_reinterpret_i64",
    "i32_reinterpret_f32",
    "i32_trunc_f32_s",
    "i32_trunc_f32_u",
    "i32_trunc_f64_s",
    "i32_trunc_f64_u",
    "i32_trunc_sat_f32_s",
    "i32_trunc_sat_f32_u",
    "i32_trunc_sat_f64_s",
    "i32_trunc_sat_f64_u",
    "i32_wrap_i64",
    "i64_extend_i32_s",
    "i64_extend_i32_u",
    "i64_reinterpret_f64",
    "i64_trunc_f32_s",
    "i64_trunc_f32_u",
    "i64_trunc_f64_s",
    "i64_trunc_f64_u",
    "i64_trunc_sat_f32_s",
    "i64_trunc_sat_f32_u",
    "i64_trunc_sat_f64_s",
    "i64_trunc_sat_f64_u",
]

_F32 = struct.Struct("<f")
_pack_f32 = _F32.pack
_unpack_f32 = _F32.unpack

_M32 = 0xFFFF_FFFF
_M64 = 0xFFFF_FFFF_FFFF_FFFF
_S32 = 0x8000_0000
_S64 = 0x8000_0000_0000_0000
_INVALID = TrapMessage.INVALID_CONVERSION
_OVERFLOW = TrapMessage.INTEGER_OVERFLOW

# Exclusive bounds on the real value x such that trunc(x) fits the target type.  For the
# signed 64-bit lower bound the exact limit -2**63 - 1 is no double; no double lies
# strictly between it and -2**63, so the test there is x >= -2**63.
_S32_LOW = -2147483649.0
_S32_HIGH = 2147483648.0
_U32_HIGH = 4294967296.0
_S64_LOW = -9223372036854775808.0
_S64_HIGH = 9223372036854775808.0
_U64_HIGH = 18446744073709551616.0


# ---------------------------------------------------------------- integer widths

def i32_wrap_i64(a: int) -> int:
    """Return the i64 ``a`` modulo 2**32 (spec "wrap_64,32")."""
    return a & _M32


def i64_extend_i32_s(a: int) -> int:
    """Return the i32 ``a`` sign-extended to i64 (spec "extend^s_32,64")."""
    return ((a ^ _S32) - _S32) & _M64


def i64_extend_i32_u(a: int) -> int:
    """Return the i32 ``a`` zero-extended to i64 (spec "extend^u_32,64"): ``a`` itself."""
    return a


# ---------------------------------------------------------------- trapping truncation

def _trunc_failure(x: float) -> Trap:
    return Trap(_INVALID if x != x else _OVERFLOW)


def i32_trunc_f64_s(x: float) -> int:
    """Return ``x`` truncated toward zero as a signed i32 (spec "trunc^s_M,32").

    Also ``i32.trunc_f32_s``.  Raises Trap("invalid conversion to integer") for NaN and
    Trap("integer overflow") unless -2**31 - 1 < x < 2**31.
    """
    if _S32_LOW < x < _S32_HIGH:
        return int(x) & _M32
    raise _trunc_failure(x)


def i32_trunc_f64_u(x: float) -> int:
    """Return ``x`` truncated toward zero as an unsigned i32 (spec "trunc^u_M,32").

    Also ``i32.trunc_f32_u``.  Raises Trap("invalid conversion to integer") for NaN and
    Trap("integer overflow") unless -1 < x < 2**32.
    """
    if -1.0 < x < _U32_HIGH:
        return int(x)
    raise _trunc_failure(x)


def i64_trunc_f64_s(x: float) -> int:
    """Return ``x`` truncated toward zero as a signed i64 (spec "trunc^s_M,64").

    Also ``i64.trunc_f32_s``.  Raises Trap("invalid conversion to integer") for NaN and
    Trap("integer overflow") unless -2**63 <= x < 2**63.
    """
    if _S64_LOW <= x < _S64_HIGH:
        return int(x) & _M64
    raise _trunc_failure(x)


def i64_trunc_f64_u(x: float) -> int:
    """Return ``x`` truncated toward zero as an unsigned i64 (spec "trunc^u_M,64").

    Also ``i64.trunc_f32_u``.  Raises Trap("invalid conversion to integer") for NaN and
    Trap("integer overflow") unless -1 < x < 2**64.
    """
    if -1.0 < x < _U64_HIGH:
        return int(x)
    raise _trunc_failure(x)


i32_trunc_f32_s = i32_trunc_f64_s
i32_trunc_f32_u = i32_trunc_f64_u
i64_trunc_f32_s = i64_trunc_f64_s
i64_trunc_f32_u = i64_trunc_f64_u


# ---------------------------------------------------------------- saturating truncation

def i32_trunc_sat_f64_s(x: float) -> int:
    """Return ``x`` truncated toward zero, clamped to the signed i32 range; NaN gives 0.

    Spec "trunc_sat^s_M,32"; also ``i32.trunc_sat_f32_s``.  Raises nothing.
    """
    if _S32_LOW < x < _S32_HIGH:
        return int(x) & _M32
    if x != x:
        return 0
    return 0x7FFF_FFFF if x > 0.0 else _S32


def i32_trunc_sat_f64_u(x: float) -> int:
    """Return ``x`` truncated toward zero, clamped to ``[0, 2**32 - 1]``; NaN gives 0.

    Spec "trunc_sat^u_M,32"; also ``i32.trunc_sat_f32_u``.  Raises nothing.
    """
    if -1.0 < x < _U32_HIGH:
        return int(x)
    return _M32 if x > 0.0 else 0


def i64_trunc_sat_f64_s(x: float) -> int:
    """Return ``x`` truncated toward zero, clamped to the signed i64 range; NaN gives 0.

    Spec "trunc_sat^s_M,64"; also ``i64.trunc_sat_f32_s``.  Raises nothing.
    """
    if _S64_LOW <= x < _S64_HIGH:
        return int(x) & _M64
    if x != x:
        return 0
    return 0x7FFF_FFFF_FFFF_FFFF if x > 0.0 else _S64


def i64_trunc_sat_f64_u(x: float) -> int:
    """Return ``x`` truncated toward zero, clamped to ``[0, 2**64 - 1]``; NaN gives 0.

    Spec "trunc_sat^u_M,64"; also ``i64.trunc_sat_f32_u``.  Raises nothing.
    """
    if -1.0 < x < _U64_HIGH:
        return int(x)
    return _M64 if x > 0.0 else 0


i32_trunc_sat_f32_s = i32_trunc_sat_f64_s
i32_trunc_sat_f32_u = i32_trunc_sat_f64_u
i64_trunc_sat_f32_s = i64_trunc_sat_f64_s
i64_trunc_sat_f32_u = i64_trunc_sat_f64_u


# ---------------------------------------------------------------- integer to float

def f64_convert_i32_s(a: int) -> float:
    """Return the signed i32 ``a`` as an f64 (exact) (spec "convert^s_32,64")."""
    return float((a ^ _S32) - _S32)


def f64_convert_i32_u(a: int) -> float:
    """Return the unsigned i32 ``a`` as an f64 (exact) (spec "convert^u_32,64")."""
    return float(a)


def f64_convert_i64_s(a: int) -> float:
    """Return the signed i64 ``a`` as the nearest f64, ties to even (spec "convert^s_64,64").

    CPython's int-to-float conversion is correctly rounded.
    """
    return float((a ^ _S64) - _S64)


def f64_convert_i64_u(a: int) -> float:
    """Return the unsigned i64 ``a`` as the nearest f64, ties to even (spec "convert^u_64,64")."""
    return float(a)


def f32_convert_i32_s(a: int) -> float:
    """Return the signed i32 ``a`` as the nearest f32, ties to even (spec "convert^s_32,32").

    The double conversion is exact, so a single rounding to f32 follows.
    """
    return _unpack_f32(_pack_f32(float((a ^ _S32) - _S32)))[0]


def f32_convert_i32_u(a: int) -> float:
    """Return the unsigned i32 ``a`` as the nearest f32, ties to even (spec "convert^u_32,32")."""
    return _unpack_f32(_pack_f32(float(a)))[0]


# For an integer magnitude m >= 2**53 (and < 2**64 + 1) the f32 least significant bit is at
# position 30 or above, so bits 0..11 of m matter only as a sticky bit: folding them into
# bit 11 ("round to odd") leaves at most 53 significant bits (11..63), which convert to a
# double exactly, and rounding that double to f32 then rounds m correctly.  Converting m
# to a double directly would round twice.

def f32_convert_i64_u(a: int) -> float:
    """Return the unsigned i64 ``a`` as the nearest f32, ties to even (spec "convert^u_64,32").

    Correctly rounded from the integer (no double rounding).  Raises nothing.
    """
    if a >= 0x0020_0000_0000_0000:
        a = a & 0xFFFF_FFFF_FFFF_F000 | (0x800 if a & 0xFFF else 0)
    return _unpack_f32(_pack_f32(float(a)))[0]


def f32_convert_i64_s(a: int) -> float:
    """Return the signed i64 ``a`` as the nearest f32, ties to even (spec "convert^s_64,32").

    Correctly rounded from the integer (no double rounding).  Raises nothing.
    """
    if a & _S64:
        magnitude = 0x1_0000_0000_0000_0000 - a
        if magnitude >= 0x0020_0000_0000_0000:
            magnitude = magnitude & 0xFFFF_FFFF_FFFF_F000 | (0x800 if magnitude & 0xFFF else 0)
        return -_unpack_f32(_pack_f32(float(magnitude)))[0]
    if a >= 0x0020_0000_0000_0000:
        a = a & 0xFFFF_FFFF_FFFF_F000 | (0x800 if a & 0xFFF else 0)
    return _unpack_f32(_pack_f32(float(a)))[0]


# ---------------------------------------------------------------- float to float

def f32_demote_f64(x: float) -> float:
    """Return the f64 ``x`` rounded to the nearest f32, ties to even (spec "demote_64,32").

    Overflow gives +/-inf.  A NaN gives a quiet f32 NaN with the same sign and the top 23
    bits of the payload (an arithmetic NaN; canonical stays canonical).  Raises nothing.
    """
    return f32_round(x)


def f64_promote_f32(x: float) -> float:
    """Return the f32 ``x`` as an f64 (exact) (spec "promote_32,64").

    A NaN gets its quiet bit set, sign and payload kept (an arithmetic NaN).
    Raises nothing.
    """
    return x if x == x else quiet_nan(x)


# ---------------------------------------------------------------- reinterpretation

i32_reinterpret_f32 = f32_to_bits
i64_reinterpret_f64 = f64_to_bits
f32_reinterpret_i32 = f32_from_bits
f64_reinterpret_i64 = f64_from_bits
