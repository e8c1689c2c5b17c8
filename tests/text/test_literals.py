"""Numeric literals: exact rounding, NaN payloads, ranges (spec "Text Format / Values")."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wasmem.text.literals import OutOfRange, float_bits, int_bits, parse_uint


def f64_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_shortest_decimal_round_trips_f64(x: float) -> None:
    assert float_bits(repr(x), 64) == f64_bits(x)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_hex_float_round_trips_f64(x: float) -> None:
    assert float_bits(x.hex(), 64) == f64_bits(x)


@given(st.integers(0, 0x7F7FFFFF))
def test_exact_f32_values_round_trip(bits: int) -> None:
    value = struct.unpack("<f", struct.pack("<I", bits))[0]
    assert float_bits(value.hex(), 32) == bits
    assert float_bits("-" + value.hex(), 32) == bits | 0x80000000


@pytest.mark.parametrize(("text", "bits"), [
    ("0x1p-149", 0x00000001),             # smallest subnormal
    ("0x1p-150", 0x00000000),             # exactly half: ties to even (zero)
    ("0x1.8p-149", 0x00000002),           # 1.5 ulp: ties to even (2)
    ("0x1.000001p0", 0x3F800000),         # halfway between 1 and next: even
    ("0x1.000003p0", 0x3F800002),         # halfway, odd below: rounds up
    ("0x1.fffffefffffffp127", 0x7F7FFFFF),
    ("1e-45", 0x00000001),
    ("3.4028234e38", 0x7F7FFFFF),
    ("nan", 0x7FC00000),
    ("-nan:0x1", 0xFF800001),
    ("+inf", 0x7F800000),
    ("1_000.000_1", 0x447A0002),
])
def test_f32_literals(text: str, bits: int) -> None:
    assert float_bits(text, 32) == bits


@pytest.mark.parametrize("text", ["0x1p128", "3.4028236e38", "nan:0x0", "nan:0x800000"])
def test_f32_out_of_range(text: str) -> None:
    with pytest.raises(OutOfRange):
        float_bits(text, 32)


@pytest.mark.parametrize("text", ["1.", "1.e3", "0x1.p4", "-0"])
def test_accepted_float_forms(text: str) -> None:
    assert float_bits(text, 64) is not None


@pytest.mark.parametrize("text", [".5", "1e", "0x", "1__0", "_1", "1_", "0x1p", "nan:1",
                                  "infinity"])
def test_rejected_float_forms(text: str) -> None:
    assert float_bits(text, 64) is None


def test_integers() -> None:
    assert int_bits("-1", 32) == 0xFFFFFFFF
    assert int_bits("0xFFFF_FFFF", 32) == 0xFFFFFFFF
    assert int_bits("-0x8000_0000", 32) == 0x80000000
    with pytest.raises(OutOfRange):
        int_bits("0x1_0000_0000", 32)
    with pytest.raises(OutOfRange):
        int_bits("-0x8000_0001", 32)
    assert int_bits("1.0", 32) is None
    assert parse_uint("+1") is None
    assert parse_uint("0x10") == 16


def test_decimal_halfway_f64() -> None:
    # 2**53 + 1 is exactly halfway between two doubles: ties to even
    assert float_bits("9007199254740993", 64) == f64_bits(9007199254740992.0)
    assert math.isclose(struct.unpack("<d", struct.pack("<Q", float_bits("0.1", 64)))[0], 0.1)
