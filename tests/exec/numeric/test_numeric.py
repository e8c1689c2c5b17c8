"""Unit and property tests of wasmem.exec.numeric (spec "Execution / Numerics").

References here are independent of the implementation: exact rational arithmetic
(:class:`fractions.Fraction`) rounded to f32 by a small ties-to-even routine, and integer
arithmetic on signed Python ints.  The spec test suite's own values are checked in
``test_numeric_spec.py`` and wasmtime is compared in ``test_numeric_wasmtime.py``.
"""

from __future__ import annotations

import math
import struct
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wasmem.errors import Trap, TrapMessage
from wasmem.exec import numeric as n
from wasmem.syntax.opcodes import BY_NAME, OPCODES, prefixed

M32 = (1 << 32) - 1
M64 = (1 << 64) - 1
F32_MAX = Fraction(2**24 - 1, 2**24) * 2**128


def f32(bits: int) -> float:
    return n.f32_from_bits(bits)


def bits32(value: float) -> int:
    return n.f32_to_bits(value)


def bits64(value: float) -> int:
    return n.f64_to_bits(value)


def round_to_f32(q: Fraction, negative_zero: bool = False) -> float:
    """Exact rational -> nearest f32 (ties to even), +/-inf beyond the range."""
    if q == 0:
        return -0.0 if negative_zero else 0.0
    sign = -1 if q < 0 else 1
    q = abs(q)
    exponent = q.numerator.bit_length() - q.denominator.bit_length()
    if Fraction(2) ** exponent > q:
        exponent -= 1
    exponent = max(exponent, -126)
    ulp = Fraction(2) ** (exponent - 23)
    scaled = q / ulp
    whole = scaled.numerator // scaled.denominator
    rest = scaled - whole
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and whole & 1):
        whole += 1
    result = whole * ulp
    if result >= Fraction(2) ** 128:
        return sign * math.inf
    return sign * float(result)


f32_bits = st.integers(0, M32)
f64_bits = st.integers(0, M64)
finite_f32 = st.floats(width=32, allow_nan=False, allow_infinity=False)


def is_f32_value(x: float) -> bool:
    """Is ``x`` a valid f32 runtime value (an f32 number, or a NaN with low bits zero)?"""
    if math.isnan(x):
        return n.f64_to_bits(x) & 0x1FFF_FFFF == 0
    try:
        return math.isinf(x) or struct.unpack("<f", struct.pack("<f", x))[0] == x
    except OverflowError:  # a finite double beyond the f32 range
        return False


# ---------------------------------------------------------------- the table

def test_table_has_every_numeric_instruction() -> None:
    keys = list(range(0x45, 0xC5)) + [prefixed(0xFC, sub) for sub in range(8)]
    assert sorted(n.numeric_keys()) == keys
    assert set(n.NUMERIC_OPS) == {OPCODES[key].name for key in keys}
    assert len(n.NUMERIC_OPS) == 136
    for key, function in n.NUMERIC_BY_KEY.items():
        assert n.NUMERIC_OPS[OPCODES[key].name] is function
        assert BY_NAME[OPCODES[key].name].key == key


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("i32.add", (M32, 2), 1),
        ("i64.sub", (0, 1), M64),
        ("i32.eqz", (0,), 1),
        ("i64.eqz", (5,), 0),
        ("i32.lt_s", (M32, 0), 1),
        ("i64.gt_u", (M64, 0), 1),
        ("i32.wrap_i64", (0x1_2345_6789,), 0x2345_6789),
        ("i64.extend_i32_u", (M32,), M32),
        ("f64.add", (1.5, 2.25), 3.75),
        ("f32.eq", (-0.0, 0.0), 1),
    ],
    ids=lambda v: str(v),
)
def test_trivial_operators_in_table(name: str, args: tuple[Any, ...], expected: Any) -> None:
    assert n.NUMERIC_OPS[name](*args) == expected


# ---------------------------------------------------------------- representation

@pytest.mark.parametrize(
    ("f32_bits_in", "f64_bits_out"),
    [
        (0x7FA0_0001, 0x7FF4_0000_2000_0000),  # signalling, stays signalling
        (0x7F80_0001, 0x7FF0_0000_2000_0000),
        (0xFFC0_0000, 0xFFF8_0000_0000_0000),  # negative canonical
        (0x7FFF_FFFF, 0x7FFF_FFFF_E000_0000),
        (0x3F80_0000, 0x3FF0_0000_0000_0000),  # 1.0
        (0x8000_0001, 0xB6A0_0000_0000_0000),  # -min subnormal
        (0x7F80_0000, 0x7FF0_0000_0000_0000),  # inf
    ],
    ids=lambda v: hex(v),
)
def test_f32_nan_representation(f32_bits_in: int, f64_bits_out: int) -> None:
    value = n.f32_from_bits(f32_bits_in)
    assert n.f64_to_bits(value) == f64_bits_out
    assert n.f32_to_bits(value) == f32_bits_in


@given(f32_bits)
def test_f32_bits_round_trip(bits: int) -> None:
    value = n.f32_from_bits(bits)
    assert n.f32_to_bits(value) == bits
    assert is_f32_value(value)
    assert n.f32_reinterpret_i32(bits) is not None
    assert n.i32_reinterpret_f32(value) == bits


@given(f64_bits)
def test_f64_bits_round_trip(bits: int) -> None:
    assert n.f64_to_bits(n.f64_from_bits(bits)) == bits
    assert n.i64_reinterpret_f64(n.f64_reinterpret_i64(bits)) == bits


@given(f32_bits, f64_bits, st.integers(0, 8))
def test_memory_helpers_keep_every_bit(b32: int, b64: int, offset: int) -> None:
    x32 = n.f32_from_bits(b32)
    x64 = n.f64_from_bits(b64)
    assert n.f32_pack(x32) == b32.to_bytes(4, "little")
    assert n.f64_pack(x64) == b64.to_bytes(8, "little")
    assert n.f32_to_bits(n.f32_unpack(b32.to_bytes(4, "little"))) == b32
    assert n.f64_to_bits(n.f64_unpack(b64.to_bytes(8, "little"))) == b64
    buffer = bytearray(20)
    n.f32_pack_into(buffer, offset, x32)
    n.f64_pack_into(buffer, offset + 4, x64)
    assert buffer[offset:offset + 4] == b32.to_bytes(4, "little")
    assert n.f32_to_bits(n.f32_unpack(memoryview(buffer), offset)) == b32
    assert n.f64_to_bits(n.f64_unpack(buffer, offset + 4)) == b64


def test_nan_classes() -> None:
    assert n.f32_is_canonical_nan(f32(0xFFC0_0000))
    assert not n.f32_is_canonical_nan(f32(0x7FC0_0001))
    assert n.f32_is_arithmetic_nan(f32(0x7FC0_0001))
    assert not n.f32_is_arithmetic_nan(f32(0x7FA0_0000))
    assert not n.f32_is_arithmetic_nan(1.0)
    assert n.f64_is_canonical_nan(n.f64_from_bits(0xFFF8_0000_0000_0000))
    assert not n.f64_is_canonical_nan(n.f64_from_bits(0x7FF8_0000_0000_0001))
    assert n.f64_is_arithmetic_nan(n.f64_from_bits(0x7FFF_0000_0000_0000))
    assert not n.f64_is_arithmetic_nan(n.f64_from_bits(0x7FF4_0000_0000_0000))


# ---------------------------------------------------------------- rounding to f32

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.4028235677973362e38, 0x7F7F_FFFF),  # just below the overflow midpoint
        (3.4028235677973366e38, 0x7F80_0000),  # the midpoint rounds to even: inf
        (-1e300, 0xFF80_0000),
        (1.0000000596046448, 0x3F80_0000),  # 1 + 2**-24: tie, to even
        (1.0000001788139343, 0x3F80_0002),  # 1 + 3 * 2**-24: tie, to even (up)
        (7.006492321624085e-46, 0x0000_0000),  # half the least subnormal: to even (0)
        (7.006492321624087e-46, 0x0000_0001),
        (-0.0, 0x8000_0000),
        (math.inf, 0x7F80_0000),
    ],
    ids=lambda v: repr(v),
)
def test_f32_round_values(value: float, expected: int) -> None:
    assert n.f32_to_bits(n.f32_round(value)) == expected


@given(st.floats(allow_nan=False))
def test_f32_round_matches_exact_rounding(value: float) -> None:
    got = n.f32_round(value)
    if math.isinf(value):
        assert got == value
        return
    assert got == round_to_f32(Fraction(value))
    assert math.copysign(1.0, got) == math.copysign(1.0, value)


@given(f64_bits)
def test_f32_round_nan_keeps_top_payload_bits(bits: int) -> None:
    value = n.f64_from_bits(bits | 0x7FF0_0000_0000_0001)  # some NaN
    source = n.f64_to_bits(value)
    result = n.f32_to_bits(n.f32_round(value))
    assert result >> 31 == source >> 63
    assert result & 0x7FC0_0000 == 0x7FC0_0000  # quiet
    assert result & 0x003F_FFFF == (source >> 29) & 0x003F_FFFF


# ---------------------------------------------------------------- f32 arithmetic is exact

@settings(max_examples=300)
@given(finite_f32, finite_f32)
def test_f32_arithmetic_matches_exact_rounding(a: float, b: float) -> None:
    fa, fb = Fraction(a), Fraction(b)
    total = round_to_f32(fa + fb)
    if fa + fb == 0:  # sign of an exact zero sum: -0 only for (-0) + (-0)
        total = -0.0 if (math.copysign(1, a) < 0 and math.copysign(1, b) < 0) else 0.0
    assert bits32(n.f32_add(a, b)) == bits32(total)
    difference = round_to_f32(fa - fb)
    if fa - fb == 0:
        difference = -0.0 if (math.copysign(1, a) < 0 and math.copysign(1, b) > 0) else 0.0
    assert bits32(n.f32_sub(a, b)) == bits32(difference)
    negative = (math.copysign(1, a) < 0) != (math.copysign(1, b) < 0)
    assert bits32(n.f32_mul(a, b)) == bits32(round_to_f32(fa * fb, negative))
    if b != 0:
        assert bits32(n.f32_div(a, b)) == bits32(round_to_f32(fa / fb, negative))


@settings(max_examples=300)
@given(st.floats(min_value=0.0, width=32, allow_infinity=False, exclude_min=True))
def test_f32_sqrt_is_correctly_rounded(a: float) -> None:
    root = n.f32_sqrt(a)
    below = n.f32_from_bits(n.f32_to_bits(root) - 1)
    above = n.f32_from_bits(n.f32_to_bits(root) + 1)
    exact = Fraction(a)
    assert ((Fraction(root) + Fraction(below)) / 2) ** 2 < exact
    assert exact < ((Fraction(root) + Fraction(above)) / 2) ** 2


# ---------------------------------------------------------------- NaN propagation

SNAN32 = 0x7FA0_0123
QNAN32 = 0xFFE0_0456
SNAN64 = 0x7FF4_0000_0000_0789
QNAN64 = 0xFFFC_0000_0000_0ABC


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "min", "max"])
@pytest.mark.parametrize("nan_first", [True, False], ids=["nan-left", "nan-right"])
def test_binary_nan_operand_is_quieted_and_kept(op: str, nan_first: bool) -> None:
    for width, nan_bits, quiet, from_bits, to_bits in (
        (32, SNAN32, 0x0040_0000, n.f32_from_bits, n.f32_to_bits),
        (32, QNAN32, 0x0040_0000, n.f32_from_bits, n.f32_to_bits),
        (64, SNAN64, 1 << 51, n.f64_from_bits, n.f64_to_bits),
        (64, QNAN64, 1 << 51, n.f64_from_bits, n.f64_to_bits),
    ):
        nan = from_bits(nan_bits)
        args = (nan, 1.5) if nan_first else (1.5, nan)
        result = n.NUMERIC_OPS[f"f{width}.{op}"](*args)
        assert to_bits(result) == nan_bits | quiet


@pytest.mark.parametrize("op", ["sqrt", "ceil", "floor", "trunc", "nearest"])
def test_unary_nan_operand_is_quieted_and_kept(op: str) -> None:
    assert bits32(n.NUMERIC_OPS[f"f32.{op}"](f32(SNAN32))) == SNAN32 | 0x0040_0000
    assert bits64(n.NUMERIC_OPS[f"f64.{op}"](n.f64_from_bits(SNAN64))) == SNAN64 | 1 << 51


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("add", (math.inf, -math.inf)),
        ("sub", (math.inf, math.inf)),
        ("mul", (0.0, -math.inf)),
        ("div", (0.0, -0.0)),
        ("div", (math.inf, math.inf)),
        ("sqrt", (-1.0,)),
        ("sqrt", (-math.inf,)),
        ("sqrt", (-1e-45,)),
    ],
    ids=lambda v: str(v),
)
def test_invalid_operations_give_canonical_nans(name: str, args: tuple[float, ...]) -> None:
    assert n.f32_is_canonical_nan(n.NUMERIC_OPS[f"f32.{name}"](*args))
    assert n.f64_is_canonical_nan(n.NUMERIC_OPS[f"f64.{name}"](*args))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [(1.0, 0.0, math.inf), (-1.0, 0.0, -math.inf), (1.0, -0.0, -math.inf),
     (-math.inf, -0.0, math.inf), (0.0, 5.0, 0.0)],
    ids=lambda v: repr(v),
)
def test_division_by_zero(a: float, b: float, expected: float) -> None:
    assert n.f64_div(a, b) == expected
    assert n.f32_div(a, b) == expected


def test_sign_operators_touch_only_the_sign_bit() -> None:
    for bits in (SNAN32, QNAN32, 0x7FC0_0000, 0x8000_0000, 0x3F80_0000):
        value = f32(bits)
        assert bits32(n.f32_abs(value)) == bits & 0x7FFF_FFFF
        assert bits32(n.f32_neg(value)) == bits ^ 0x8000_0000
        assert bits32(n.f32_copysign(value, f32(QNAN32))) == bits | 0x8000_0000
        assert bits32(n.f32_copysign(value, 0.0)) == bits & 0x7FFF_FFFF
    for bits in (SNAN64, QNAN64, 0x8000_0000_0000_0000):
        value = n.f64_from_bits(bits)
        assert bits64(n.f64_abs(value)) == bits & ~(1 << 63)
        assert bits64(n.f64_neg(value)) == bits ^ (1 << 63)
        assert bits64(n.f64_copysign(value, n.f64_from_bits(QNAN64))) == bits | (1 << 63)
        assert bits64(n.f64_copysign(1.0, value)) == bits64(1.0) | (bits & (1 << 63))


def test_promote_and_demote_nans() -> None:
    assert bits64(n.f64_promote_f32(f32(SNAN32))) == 0x7FFC_0024_6000_0000
    assert bits64(n.f64_promote_f32(f32(0xFFC0_0000))) == 0xFFF8_0000_0000_0000
    assert bits32(n.f32_demote_f64(n.f64_from_bits(SNAN64))) == 0x7FE0_0000
    assert bits32(n.f32_demote_f64(n.f64_from_bits(0x7FF4_5678_9000_0000))) == 0x7FE2_B3C4
    assert n.f32_demote_f64(1e300) == math.inf
    assert n.f32_demote_f64(-1e-300) == 0.0 and math.copysign(1, n.f32_demote_f64(-1e-300)) < 0


# ---------------------------------------------------------------- min, max, rounding, zeros

@pytest.mark.parametrize("width", [32, 64])
def test_min_max_signed_zeros(width: int) -> None:
    fmin, fmax = n.NUMERIC_OPS[f"f{width}.min"], n.NUMERIC_OPS[f"f{width}.max"]
    for a, b in ((0.0, -0.0), (-0.0, 0.0), (-0.0, -0.0), (0.0, 0.0)):
        negative_min = math.copysign(1, a) < 0 or math.copysign(1, b) < 0
        negative_max = math.copysign(1, a) < 0 and math.copysign(1, b) < 0
        assert math.copysign(1, fmin(a, b)) == (-1 if negative_min else 1)
        assert math.copysign(1, fmax(a, b)) == (-1 if negative_max else 1)
    assert fmin(-math.inf, 1.0) == -math.inf
    assert fmax(-math.inf, math.inf) == math.inf
    assert fmin(2.0, 2.0) == 2.0


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("ceil", -0.5, -0.0), ("ceil", 0.5, 1.0), ("ceil", -0.0, -0.0), ("ceil", -1.5, -1.0),
        ("floor", -0.5, -1.0), ("floor", 0.5, 0.0), ("floor", -0.0, -0.0),
        ("trunc", -0.9, -0.0), ("trunc", 0.9, 0.0), ("trunc", -1.9, -1.0),
        ("nearest", -0.5, -0.0), ("nearest", 0.5, 0.0), ("nearest", 1.5, 2.0),
        ("nearest", 2.5, 2.0), ("nearest", -2.5, -2.0), ("nearest", -3.5, -4.0),
        ("nearest", 0.49999997, 0.0), ("nearest", 8388609.0, 8388609.0),
        ("nearest", 4503599627370497.0, 4503599627370497.0),
        ("nearest", 4503599627370495.5, 4503599627370496.0),
        ("floor", -math.inf, -math.inf), ("ceil", math.inf, math.inf),
        ("trunc", 1e300, 1e300),
    ],
    ids=lambda v: repr(v),
)
def test_rounding_to_integers(op: str, value: float, expected: float) -> None:
    result = n.NUMERIC_OPS[f"f64.{op}"](value)
    assert bits64(result) == bits64(expected)
    if n.f32_round(value) == value:
        assert bits64(n.NUMERIC_OPS[f"f32.{op}"](value)) == bits64(expected)


@settings(max_examples=400)
@given(st.one_of(
    st.floats(allow_nan=False),
    st.integers(-(2**54), 2**54).map(lambda k: k / 2),  # ties
    st.floats(-3.0, 3.0),
    st.floats(width=32, allow_nan=False),
))
def test_rounding_matches_python_math(a: float) -> None:
    references = (("floor", math.floor), ("ceil", math.ceil), ("trunc", math.trunc),
                  ("nearest", round))  # round() on a float rounds ties to even
    for op, reference in references:
        for width in (32, 64):
            if width == 32 and n.f32_round(a) != a:
                continue
            got = n.NUMERIC_OPS[f"f{width}.{op}"](a)
            if math.isinf(a):
                assert got == a
                continue
            assert got == reference(a), (op, a, got)
            assert math.copysign(1.0, got) == math.copysign(1.0, a), (op, a, got)


# ---------------------------------------------------------------- integer operators

def signed(value: int, width: int) -> int:
    return value - (1 << width) if value >> (width - 1) else value


@settings(max_examples=400)
@given(st.sampled_from([32, 64]), st.data())
def test_division_matches_signed_reference(width: int, data: st.DataObject) -> None:
    mask = (1 << width) - 1
    edge = st.sampled_from([0, 1, mask, mask - 1, 1 << (width - 1), (1 << (width - 1)) - 1, 7])
    a = data.draw(st.one_of(st.integers(0, mask), edge))
    b = data.draw(st.one_of(st.integers(0, mask), edge, st.integers(1, 9)))
    t = f"i{width}"
    sa, sb = signed(a, width), signed(b, width)
    if b == 0:
        for op in ("div_s", "div_u", "rem_s", "rem_u"):
            with pytest.raises(Trap) as trap:
                n.NUMERIC_OPS[f"{t}.{op}"](a, b)
            assert trap.value.message == TrapMessage.INTEGER_DIVIDE_BY_ZERO
        return
    quotient = abs(sa) // abs(sb) * (1 if (sa < 0) == (sb < 0) else -1)
    if quotient == 1 << (width - 1):
        with pytest.raises(Trap, match="integer overflow"):
            n.NUMERIC_OPS[f"{t}.div_s"](a, b)
    else:
        assert n.NUMERIC_OPS[f"{t}.div_s"](a, b) == quotient & mask
    assert n.NUMERIC_OPS[f"{t}.rem_s"](a, b) == (sa - quotient * sb) & mask
    assert n.NUMERIC_OPS[f"{t}.div_u"](a, b) == a // b
    assert n.NUMERIC_OPS[f"{t}.rem_u"](a, b) == a % b


@given(st.sampled_from([32, 64]), st.data())
def test_bit_operators_match_reference(width: int, data: st.DataObject) -> None:
    mask = (1 << width) - 1
    a = data.draw(st.integers(0, mask))
    b = data.draw(st.one_of(st.integers(0, mask), st.integers(0, 2 * width)))
    t = f"i{width}"
    k = b % width
    bits = format(a, f"0{width}b")
    ops = n.NUMERIC_OPS
    assert ops[f"{t}.clz"](a) == len(bits) - len(bits.lstrip("0"))
    assert ops[f"{t}.ctz"](a) == len(bits) - len(bits.rstrip("0"))
    assert ops[f"{t}.popcnt"](a) == bits.count("1")
    assert ops[f"{t}.rotl"](a, b) == int(bits[k:] + bits[:k], 2)
    assert ops[f"{t}.rotr"](a, b) == int(bits[width - k:] + bits[:width - k], 2)
    assert ops[f"{t}.shl"](a, b) == int(bits[k:] + "0" * k, 2)
    assert ops[f"{t}.shr_u"](a, b) == int("0" * k + bits[:width - k], 2)
    assert ops[f"{t}.shr_s"](a, b) == int(bits[0] * k + bits[:width - k], 2)
    assert ops[f"{t}.lt_s"](a, b) == int(signed(a, width) < signed(b, width))
    assert ops[f"{t}.ge_s"](a, b) == int(signed(a, width) >= signed(b, width))
    assert ops[f"{t}.extend8_s"](a) == signed(a & 0xFF, 8) & mask
    assert ops[f"{t}.extend16_s"](a) == signed(a & 0xFFFF, 16) & mask


def test_sign_extensions() -> None:
    assert n.i64_extend32_s(0x8000_0000) == 0xFFFF_FFFF_8000_0000
    assert n.i64_extend32_s(0x1_7FFF_FFFF) == 0x7FFF_FFFF
    assert n.i64_extend_i32_s(0x8000_0000) == 0xFFFF_FFFF_8000_0000
    assert n.i32_extend8_s(0x1_0000_0080) == 0xFFFF_FF80
    assert n.i32_signed(M32) == -1 and n.i64_signed(1 << 63) == -(1 << 63)


# ---------------------------------------------------------------- conversions

TRUNC_LIMITS = [
    # (name, largest accepted, smallest rejected above, smallest accepted, largest rejected below)
    ("i32.trunc_f32_s", 2147483520.0, 2147483648.0, -2147483648.0, -2147483904.0),
    ("i32.trunc_f32_u", 4294967040.0, 4294967296.0, -0.99999994, -1.0),
    ("i32.trunc_f64_s", 2147483647.9999998, 2147483648.0, -2147483648.9999995, -2147483649.0),
    ("i32.trunc_f64_u", 4294967295.9999995, 4294967296.0, -0.9999999999999999, -1.0),
    ("i64.trunc_f32_s", 9223371487098961920.0, 9223372036854775808.0,
     -9223372036854775808.0, -9223373136366403584.0),
    ("i64.trunc_f32_u", 18446742974197923840.0, 18446744073709551616.0, -0.99999994, -1.0),
    ("i64.trunc_f64_s", 9223372036854774784.0, 9223372036854775808.0,
     -9223372036854775808.0, -9223372036854777856.0),
    ("i64.trunc_f64_u", 18446744073709549568.0, 18446744073709551616.0,
     -0.9999999999999999, -1.0),
]


@pytest.mark.parametrize(("name", "high_ok", "high_bad", "low_ok", "low_bad"), TRUNC_LIMITS,
                         ids=[row[0] for row in TRUNC_LIMITS])
def test_trunc_boundaries(name: str, high_ok: float, high_bad: float, low_ok: float,
                          low_bad: float) -> None:
    width = 32 if name.startswith("i32") else 64
    mask = (1 << width) - 1
    trunc = n.NUMERIC_OPS[name]
    saturating = n.NUMERIC_OPS[name.replace("trunc_", "trunc_sat_")]
    unsigned = name.endswith("_u")
    high = mask if unsigned else mask >> 1
    low = 0 if unsigned else 1 << (width - 1)
    assert trunc(high_ok) == int(high_ok) & mask
    assert trunc(low_ok) == int(low_ok) & mask
    for bad in (high_bad, low_bad, math.inf, -math.inf):
        with pytest.raises(Trap) as trap:
            trunc(bad)
        assert trap.value.message == TrapMessage.INTEGER_OVERFLOW
    for nan in (math.nan, f32(SNAN32), f32(QNAN32)):
        with pytest.raises(Trap) as trap:
            trunc(nan)
        assert trap.value.message == TrapMessage.INVALID_CONVERSION
        assert saturating(nan) == 0
    assert saturating(high_ok) == int(high_ok) & mask
    assert saturating(low_ok) == int(low_ok) & mask
    assert saturating(high_bad) == saturating(math.inf) == high
    assert saturating(low_bad) == saturating(-math.inf) == low
    assert trunc(-0.0) == saturating(-0.0) == 0


@settings(max_examples=500)
@given(st.one_of(
    st.integers(0, M64),
    st.integers(0, 40).flatmap(
        lambda shift: st.integers(0, (1 << 25) - 1).map(lambda m: (m << shift) | 1 << 10)),
    st.sampled_from([2**53 + 1, 2**63 + 2**39, 2**63 + 2**39 + 1, M64, 2**64 - 2**39,
                     2**24 + 1, 0x0020_0000_2000_0000, 0x0020_0000_2000_0001]),
))
def test_int_to_float_is_correctly_rounded(value: int) -> None:
    value &= M64
    assert bits32(n.f32_convert_i64_u(value)) == bits32(round_to_f32(Fraction(value)))
    assert bits32(n.f32_convert_i64_s(value)) == bits32(round_to_f32(Fraction(signed(value, 64))))
    assert n.f64_convert_i64_u(value) == float(Fraction(value))
    assert n.f64_convert_i64_s(value) == float(Fraction(signed(value, 64)))
    low = value & M32
    assert n.f32_convert_i32_u(low) == round_to_f32(Fraction(low))
    assert n.f32_convert_i32_s(low) == round_to_f32(Fraction(signed(low, 32)))
    assert n.f64_convert_i32_s(low) == signed(low, 32)
    assert n.f64_convert_i32_u(low) == low


# ---------------------------------------------------------------- robustness

def _operand(t: str, bits: int) -> Any:
    if t == "f32":
        return n.f32_from_bits(bits & M32)
    if t == "f64":
        return n.f64_from_bits(bits)
    return bits & (M32 if t == "i32" else M64)


def _valid(t: str, value: Any) -> bool:
    if t in ("i32", "i64"):
        return type(value) is int and 0 <= value <= (M32 if t == "i32" else M64)
    if type(value) is not float:
        return False
    return is_f32_value(value) if t == "f32" else True


NAMES = sorted(n.NUMERIC_OPS)


@settings(max_examples=40)
@given(st.lists(st.one_of(f64_bits, st.sampled_from([0, 1 << 63, 0x7FF0_0000_0000_0000,
                                                     0x7F80_0000, 0xFF80_0001, M32, M64])),
                min_size=2, max_size=2))
def test_only_traps_escape_and_results_are_valid(operands: list[int]) -> None:
    for name in NAMES:
        info = BY_NAME[name]
        params = [str(t) for t in info.params or ()]
        args = [_operand(t, b) for t, b in zip(params, operands, strict=False)]
        try:
            result = n.NUMERIC_OPS[name](*args)
        except Trap:
            continue
        assert info.results, name
        assert _valid(str(info.results[0]), result), (name, args, result)
