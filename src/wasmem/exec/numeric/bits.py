"""Float bit patterns: the runtime representation of f32/f64 (spec "Numerics / Representations").

Runtime values (fixed for all of wasmem):

* f64 is a Python ``float`` holding any bit pattern; NaN payloads, signalling NaNs
  included, are kept as they are.
* f32 is a Python ``float`` too.  A non-NaN f32 is the double with the same value (every
  f32 is exactly a double).  A NaN f32 with sign ``s`` and 23-bit payload ``m`` is the
  double NaN with sign ``s`` and 52-bit mantissa ``m << 29``, so the f32 quiet bit is the
  double quiet bit and a signalling f32 NaN is a signalling double NaN.

``struct``'s ``'f'`` format converts through a C ``float``, which quiets signalling NaNs on
x86, so every NaN bit pattern is built here with integer operations and only then moved
through the ``'d'`` format, which copies the 8 bytes as they are.  Non-NaN values take the
fast ``'f'`` path.

Also here: :func:`f32_round` (round a double to the nearest f32) and the spec's NaN
classes (canonical and arithmetic NaNs, spec "Numerics / Floating-Point / NaN
Propagation").
"""


from __future__ import annotations

import math
import struct

__all__ = [
    "F32_CANONICAL_NAN",
    "F64_CANONICAL_NAN",
    "f32_from_bits",
    "f32_is_arithmetic_nan",
    "f32_is_canonical_nan",
    "f32_pack",
    "f32_pack_into",
    "f32_round",
    "f32_to_bits",
    "f32_unpack",
    "f64_from_bits",
    "f64_is_arithmetic_nan",
    "f64_is_canonical_nan",
    "f64_pack",
    "f64_pack_into",
    "f64_to_bits",
    "f64_unpack",
    "quiet_nan",
]

_F32 = struct.Struct("<f")
_F64 = struct.Struct("<d")
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")

_pack_f32 = _F32.pack
_unpack_f32 = _F32.unpack
_unpack_from_f32 = _F32.unpack_from
_pack_into_f32 = _F32.pack_into
_pack_f64 = _F64.pack
_unpack_f64 = _F64.unpack
_unpack_from_f64 = _F64.unpack_from
_pack_into_f64 = _F64.pack_into
_pack_u32 = _U32.pack
_unpack_u32 = _U32.unpack
_unpack_from_u32 = _U32.unpack_from
_pack_into_u32 = _U32.pack_into
_pack_u64 = _U64.pack
_unpack_u64 = _U64.unpack

_copysign = math.copysign
_INF = math.inf

F64_QUIET_BIT = 0x0008_0000_0000_0000
"""The double quiet bit (mantissa bit 51); in the f32 representation it is the f32 quiet bit."""
_F64_LOW_29 = 0x1FFF_FFFF  # mantissa bits a NaN in the f32 representation leaves at zero

F32_CANONICAL_NAN = 0x7FC0_0000
"""Bit pattern of the positive canonical f32 NaN (spec "canon_32")."""
F64_CANONICAL_NAN = 0x7FF8_0000_0000_0000
"""Bit pattern of the positive canonical f64 NaN (spec "canon_64")."""


# ---------------------------------------------------------------- bit conversions

def f64_from_bits(bits: int) -> float:
    """Return the f64 value with IEEE bit pattern ``bits`` (0 <= bits < 2**64), bit-exact.

    Spec "Numerics / Representations"; this is ``f64.reinterpret_i64``.  Raises nothing
    for valid input (``struct.error`` only if ``bits`` is out of range).
    """
    return _unpack_f64(_pack_u64(bits))[0]


def f64_to_bits(value: float) -> int:
    """Return the 64-bit IEEE pattern of f64 ``value``, NaN payloads included.

    Spec "Numerics / Representations"; this is ``i64.reinterpret_f64``.  Raises nothing.
    """
    return _unpack_u64(_pack_f64(value))[0]


def f32_from_bits(bits: int) -> float:
    """Return the f32 runtime value with IEEE bit pattern ``bits`` (0 <= bits < 2**32).

    NaNs become the double NaN with the same sign and the payload shifted left by 29 bits,
    signalling NaNs staying signalling.  Spec "Numerics / Representations"; this is
    ``f32.reinterpret_i32``.  Raises nothing for valid input.
    """
    if bits & 0x7F80_0000 != 0x7F80_0000 or not bits & 0x007F_FFFF:
        return _unpack_f32(_pack_u32(bits))[0]
    return _unpack_f64(_pack_u64(
        (bits & 0x8000_0000) << 32 | 0x7FF0_0000_0000_0000 | (bits & 0x007F_FFFF) << 29))[0]


def f32_to_bits(value: float) -> int:
    """Return the 32-bit IEEE pattern of the f32 runtime value ``value``.

    A NaN keeps its sign and the top 23 bits of its double mantissa (the f32 payload).
    ``value`` must be an f32 runtime value; for other doubles the result is that of
    :func:`f32_round` first.  Spec "Numerics / Representations"; this is
    ``i32.reinterpret_f32``.  Raises nothing.
    """
    if value == value:
        try:
            return _unpack_u32(_pack_f32(value))[0]
        except OverflowError:  # not an f32 value: a double above the f32 range
            return 0xFF80_0000 if value < 0 else 0x7F80_0000
    bits = _unpack_u64(_pack_f64(value))[0]
    payload = (bits >> 29) & 0x007F_FFFF
    if not payload:  # not an f32 value: a double NaN with only low payload bits
        payload = 0x0040_0000
    return (bits >> 32) & 0x8000_0000 | 0x7F80_0000 | payload


# ---------------------------------------------------------------- rounding to f32

def _f32_nan(value: float) -> float:
    """Map a double NaN into the f32 representation: keep the sign and top 23 mantissa bits,
    set the quiet bit."""
    bits = _unpack_u64(_pack_f64(value))[0]
    return _unpack_f64(_pack_u64(bits & ~_F64_LOW_29 | F64_QUIET_BIT))[0]


def f32_round(value: float) -> float:
    """Return the f32 nearest to the double ``value`` (ties to even), as an f32 runtime value.

    Values beyond the f32 range round to +/-inf as IEEE 754 says (the C cast behind
    ``struct``'s ``'f'`` format rounds correctly; only its OverflowError is replaced).  A NaN
    becomes a quiet f32 NaN with the same sign and the top 23 bits of its mantissa (the
    quiet bit set), which is what an arithmetic result needs.  Spec "Numerics /
    Floating-Point" (rounding).  Raises nothing.

    Computing an f32 ``+ - * /`` or ``sqrt`` in double precision and rounding the result once
    with this function gives the correctly rounded f32 result: a double's 53-bit
    significand is more than 2*24+2 bits, so the double rounding is innocuous (Figueroa,
    "When is double rounding innocuous?", 1995); for f32 subnormal results the sum and the
    product are exact in double and a quotient cannot lie within half a double ulp of an
    f32 midpoint without being on it.
    """
    if value != value:
        return _f32_nan(value)
    try:
        return _unpack_f32(_pack_f32(value))[0]
    except OverflowError:
        return _copysign(_INF, value)


def quiet_nan(value: float) -> float:
    """Return the NaN ``value`` with its quiet bit set, sign and payload unchanged.

    Works for f64 and for f32 runtime values (the quiet bits coincide).  Spec "Numerics /
    NaN Propagation": a quieted input NaN is an arithmetic NaN.  Raises nothing.
    """
    return _unpack_f64(_pack_u64(_unpack_u64(_pack_f64(value))[0] | F64_QUIET_BIT))[0]


# ---------------------------------------------------------------- memory helpers

def f32_pack(value: float) -> bytes:
    """Return the 4 little-endian bytes of the f32 runtime value ``value`` (NaN bits kept).

    Spec "Execution / Memory Instructions" (``f32.store``: bytes of the bit pattern).
    Raises nothing.
    """
    if value == value:
        return _pack_f32(value)
    return _pack_u32(f32_to_bits(value))


def f32_pack_into(buffer: bytearray | memoryview, offset: int, value: float) -> None:
    """Write the 4 little-endian bytes of f32 ``value`` into ``buffer`` at ``offset``.

    NaN bits kept.  Raises ``struct.error`` if the 4 bytes do not fit (bounds are the
    caller's job).  Spec "Execution / Memory Instructions".
    """
    if value == value:
        _pack_into_f32(buffer, offset, value)
    else:
        _pack_into_u32(buffer, offset, f32_to_bits(value))


def f32_unpack(data: bytes | bytearray | memoryview, offset: int = 0) -> float:
    """Return the f32 runtime value stored little-endian in ``data[offset:offset+4]``.

    Signalling NaNs stay signalling.  Raises ``struct.error`` if the 4 bytes are not there.
    Spec "Execution / Memory Instructions" (``f32.load``).
    """
    value: float = _unpack_from_f32(data, offset)[0]
    if value == value:
        return value
    return f32_from_bits(_unpack_from_u32(data, offset)[0])


def f64_pack(value: float) -> bytes:
    """Return the 8 little-endian bytes of f64 ``value``, bit-exact.  Raises nothing."""
    return _pack_f64(value)


def f64_pack_into(buffer: bytearray | memoryview, offset: int, value: float) -> None:
    """Write the 8 little-endian bytes of f64 ``value`` into ``buffer`` at ``offset``.

    Raises ``struct.error`` if the 8 bytes do not fit.
    """
    _pack_into_f64(buffer, offset, value)


def f64_unpack(data: bytes | bytearray | memoryview, offset: int = 0) -> float:
    """Return the f64 stored little-endian in ``data[offset:offset+8]``, bit-exact.

    Raises ``struct.error`` if the 8 bytes are not there.
    """
    value: float = _unpack_from_f64(data, offset)[0]
    return value


# ---------------------------------------------------------------- NaN classes

def f32_is_canonical_nan(value: float) -> bool:
    """True if the f32 ``value`` is a canonical NaN of either sign (``nan:canonical``).

    Spec "Numerics / Representations" (canonical NaN: payload is only the quiet bit).
    """
    return value != value and f32_to_bits(value) & 0x7FFF_FFFF == F32_CANONICAL_NAN


def f32_is_arithmetic_nan(value: float) -> bool:
    """True if the f32 ``value`` is an arithmetic NaN: a NaN with the quiet bit set
    (``nan:arithmetic``; canonical NaNs are arithmetic too).  Spec "Representations"."""
    return value != value and f32_to_bits(value) & 0x7FC0_0000 == F32_CANONICAL_NAN


def f64_is_canonical_nan(value: float) -> bool:
    """True if the f64 ``value`` is a canonical NaN of either sign (``nan:canonical``)."""
    return value != value and f64_to_bits(value) & ~(1 << 63) == F64_CANONICAL_NAN


def f64_is_arithmetic_nan(value: float) -> bool:
    """True if the f64 ``value`` is a NaN with the quiet bit set (``nan:arithmetic``)."""
    return value != value and f64_to_bits(value) & 0x7FF8_0000_0000_0000 == F64_CANONICAL_NAN
