"""Tests for wasmem.binary.reader (LEB128 and the other value encodings) and the writer."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wasmem.binary.reader import UNEXPECTED_END, Reader
from wasmem.binary.writer import encode_signed, encode_unsigned
from wasmem.errors import DecodeError

UNSIGNED_WIDTHS = [8, 32, 64]
SIGNED_WIDTHS = [7, 32, 33, 64]


def _read_unsigned(bits: int, data: bytes) -> tuple[int, int]:
    reader = Reader(data)
    return reader.unsigned(bits), reader.pos


def _read_signed(bits: int, data: bytes) -> tuple[int, int]:
    reader = Reader(data)
    return reader.signed(bits), reader.pos


def _pad_unsigned(encoding: bytes, total: int) -> bytes:
    """Stretch a minimal unsigned LEB128 to ``total`` bytes with zero continuation bytes."""
    extra = total - len(encoding)
    if extra <= 0:
        return encoding
    return encoding[:-1] + bytes([encoding[-1] | 0x80]) + b"\x80" * (extra - 1) + b"\x00"


def _pad_signed(encoding: bytes, total: int, negative: bool) -> bytes:
    """Stretch a minimal signed LEB128 to ``total`` bytes with sign-extension bytes."""
    extra = total - len(encoding)
    if extra <= 0:
        return encoding
    fill = 0xFF if negative else 0x80
    last = 0x7F if negative else 0x00
    head = encoding[:-1] + bytes([encoding[-1] | 0x80])
    return head + bytes([fill]) * (extra - 1) + bytes([last])


# ---------------------------------------------------------------------- round trips
@pytest.mark.parametrize("bits", UNSIGNED_WIDTHS, ids=[f"u{b}" for b in UNSIGNED_WIDTHS])
@given(data=st.data())
def test_unsigned_round_trip(bits: int, data: st.DataObject) -> None:
    value = data.draw(st.integers(0, 2**bits - 1))
    encoding = encode_unsigned(value)
    assert len(encoding) <= math.ceil(bits / 7)
    assert _read_unsigned(bits, encoding + b"\xff") == (value, len(encoding))
    # Non-minimal encodings up to the maximum length are allowed.
    longest = _pad_unsigned(encoding, math.ceil(bits / 7))
    assert _read_unsigned(bits, longest) == (value, len(longest))


@pytest.mark.parametrize("bits", SIGNED_WIDTHS, ids=[f"s{b}" for b in SIGNED_WIDTHS])
@given(data=st.data())
def test_signed_round_trip(bits: int, data: st.DataObject) -> None:
    value = data.draw(st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1))
    encoding = encode_signed(value)
    assert len(encoding) <= math.ceil(bits / 7)
    assert _read_signed(bits, encoding + b"\xff") == (value, len(encoding))
    longest = _pad_signed(encoding, math.ceil(bits / 7), value < 0)
    assert _read_signed(bits, longest) == (value, len(longest))


@given(st.integers(0, 2**32 - 1))
def test_u32_fast_path_agrees_with_general_reader(value: int) -> None:
    encoding = encode_unsigned(value)
    reader = Reader(encoding)
    assert reader.u32() == value
    assert reader.at_end()


@given(st.integers(-(2**31), 2**31 - 1))
def test_s32_fast_path_agrees_with_general_reader(value: int) -> None:
    reader = Reader(encode_signed(value))
    assert reader.s32() == value
    assert reader.at_end()


@given(st.integers(-(2**63), 2**63 - 1))
def test_s64_and_u64_fast_paths(value: int) -> None:
    assert Reader(encode_signed(value)).s64() == value
    assert Reader(encode_unsigned(value % 2**64)).u64() == value % 2**64


@given(st.integers(-(2**32), 2**32 - 1))
def test_s33_round_trip(value: int) -> None:
    assert Reader(encode_signed(value)).s33() == value


# ---------------------------------------------------------------------- malformed
@pytest.mark.parametrize("bits", UNSIGNED_WIDTHS, ids=[f"u{b}" for b in UNSIGNED_WIDTHS])
@given(data=st.data())
def test_unsigned_one_byte_too_many(bits: int, data: st.DataObject) -> None:
    value = data.draw(st.integers(0, 2**bits - 1))
    too_long = _pad_unsigned(encode_unsigned(value), math.ceil(bits / 7) + 1)
    with pytest.raises(DecodeError) as info:
        _read_unsigned(bits, too_long)
    assert info.value.message == "integer representation too long"
    assert info.value.offset == math.ceil(bits / 7)


@pytest.mark.parametrize("bits", UNSIGNED_WIDTHS, ids=[f"u{b}" for b in UNSIGNED_WIDTHS])
@given(data=st.data())
def test_unsigned_unused_bits_set(bits: int, data: st.DataObject) -> None:
    value = data.draw(st.integers(2**bits, 2 ** (7 * math.ceil(bits / 7)) - 1))
    encoding = _pad_unsigned(encode_unsigned(value), math.ceil(bits / 7))
    with pytest.raises(DecodeError) as info:
        _read_unsigned(bits, encoding)
    assert info.value.message == "integer too large"
    assert info.value.offset == len(encoding) - 1


@pytest.mark.parametrize("bits", SIGNED_WIDTHS, ids=[f"s{b}" for b in SIGNED_WIDTHS])
@given(data=st.data())
def test_signed_one_byte_too_many(bits: int, data: st.DataObject) -> None:
    value = data.draw(st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1))
    too_long = _pad_signed(encode_signed(value), math.ceil(bits / 7) + 1, value < 0)
    with pytest.raises(DecodeError) as info:
        _read_signed(bits, too_long)
    assert info.value.message == "integer representation too long"


@pytest.mark.parametrize("bits", [32, 33, 64], ids=["s32", "s33", "s64"])
@given(data=st.data())
def test_signed_out_of_range(bits: int, data: st.DataObject) -> None:
    room = 7 * math.ceil(bits / 7)
    value = data.draw(st.one_of(st.integers(2 ** (bits - 1), 2 ** (room - 1) - 1),
                                st.integers(-(2 ** (room - 1)), -(2 ** (bits - 1)) - 1)))
    encoding = _pad_signed(encode_signed(value), math.ceil(bits / 7), value < 0)
    with pytest.raises(DecodeError) as info:
        _read_signed(bits, encoding)
    assert info.value.message == "integer too large"


@pytest.mark.parametrize(
    ("read", "data", "message"),
    [
        (lambda r: r.u32(), b"\x80\x80\x80\x80\x10", "integer too large"),
        (lambda r: r.u32(), b"\xff\xff\xff\xff\x7f", "integer too large"),
        (lambda r: r.u32(), b"\x80\x80\x80\x80\x80\x00", "integer representation too long"),
        (lambda r: r.u64(), b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", "integer too large"),
        (lambda r: r.s32(), b"\x80\x80\x80\x80\x70", "integer too large"),
        (lambda r: r.s32(), b"\xff\xff\xff\xff\x0f", "integer too large"),
        (lambda r: r.s32(), b"\x80\x80\x80\x80\x80\x00", "integer representation too long"),
        (lambda r: r.s64(), b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", "integer too large"),
        (lambda r: r.s64(), b"\x80" * 10 + b"\x00", "integer representation too long"),
        (lambda r: r.signed(7), b"\xe0\x7f", "integer representation too long"),
        (lambda r: r.u32(), b"\x80\x80", UNEXPECTED_END),
        (lambda r: r.s64(), b"", UNEXPECTED_END),
        (lambda r: r.byte(), b"", UNEXPECTED_END),
        (lambda r: r.f32_bits(), b"\x00\x00\x00", UNEXPECTED_END),
        (lambda r: r.f64_bits(), b"\x00" * 7, UNEXPECTED_END),
        (lambda r: r.length(), b"\x05\x00\x00\x00", "length out of bounds"),
        (lambda r: r.byte_vector(), b"\x05\x00\x00\x00\x00", UNEXPECTED_END),
        (lambda r: r.vector(r.byte), b"\xff\xff\xff\xff\x0f\x01", "length out of bounds"),
        (lambda r: r.name(), b"\x02\xc3\x28", "malformed UTF-8 encoding"),
        (lambda r: r.name(), b"\x03\xed\xa0\x80", "malformed UTF-8 encoding"),  # surrogate
        (lambda r: r.name(), b"\x02\xc0\x80", "malformed UTF-8 encoding"),  # overlong
        (lambda r: r.name(), b"\x04\xf4\x90\x80\x80", "malformed UTF-8 encoding"),  # > U+10FFFF
    ],
    ids=[
        "u32 unused bits", "u32 max plus", "u32 too long", "u64 unused bits", "s32 not sign",
        "s32 positive overflow", "s32 too long", "s64 unused bits", "s64 too long",
        "s7 two bytes", "u32 truncated", "s64 empty", "byte empty", "f32 short", "f64 short",
        "length beyond input", "byte vector short", "huge vector count", "utf8 invalid",
        "utf8 surrogate", "utf8 overlong", "utf8 too big",
    ],
)
def test_malformed_values(read: Callable[[Reader], object], data: bytes, message: str) -> None:
    with pytest.raises(DecodeError) as info:
        read(Reader(data))
    assert info.value.message == message
    assert info.value.offset is not None and 0 <= info.value.offset <= len(data)


def test_length_is_checked_from_its_first_byte() -> None:
    # A length equal to the remaining bytes *including* its own byte passes the bounds
    # check (as in the reference decoder) and then runs off the end.
    reader = Reader(b"\x02\x00")
    assert reader.length() == 2
    with pytest.raises(DecodeError, match="unexpected end"):
        reader.read(2)


def test_fixed_width_values_are_little_endian_bit_patterns() -> None:
    reader = Reader(b"\x00\x00\xc0\x7f" + b"\x01\x00\x00\x00\x00\x00\xf0\x7f" + bytes(range(16)))
    assert reader.f32_bits() == 0x7FC00000
    assert reader.f64_bits() == 0x7FF0000000000001
    assert reader.v128_bits() == int.from_bytes(bytes(range(16)), "little")
    assert reader.at_end()


def test_names_vectors_and_bytes() -> None:
    reader = Reader(b"\x03\xe2\x8c\xa3" + b"\x02\x07\x08" + b"\x02ab" + b"\x09")
    assert reader.name() == "\u2323"
    assert reader.vector(reader.byte) == [7, 8]
    assert reader.byte_vector() == b"ab"
    assert reader.peek() == 9
    reader.skip(1)
    assert reader.peek() is None
    with pytest.raises(DecodeError):
        reader.skip(1)


def test_writer_rejects_negative_unsigned() -> None:
    with pytest.raises(ValueError):
        encode_unsigned(-1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, b"\x00"), (63, b"\x3f"), (64, b"\xc0\x00"), (-1, b"\x7f"), (-64, b"\x40"),
     (-65, b"\xbf\x7f"), (2**31 - 1, b"\xff\xff\xff\xff\x07"), (-(2**31), b"\x80\x80\x80\x80\x78")],
    ids=["0", "63", "64", "-1", "-64", "-65", "max s32", "min s32"],
)
def test_signed_encodings_are_minimal(value: int, expected: bytes) -> None:
    assert encode_signed(value) == expected


def _read_each(data: bytes, count: int, end: int | None = None) -> object:
    """What ``count`` calls of :meth:`Reader.u32` give: the values and the position
    after them, or the error's message and offset."""
    reader = Reader(data)
    if end is not None:
        reader.end = end
    try:
        return tuple(reader.u32() for _ in range(count)), reader.pos
    except DecodeError as error:
        return str(error), error.offset


def _read_all(data: bytes, count: int, end: int | None = None) -> object:
    """:meth:`Reader.u32s` in the shape of :func:`_read_each`."""
    reader = Reader(data)
    if end is not None:
        reader.end = end
    try:
        return reader.u32s(count), reader.pos
    except DecodeError as error:
        return str(error), error.offset


@given(st.lists(st.one_of(st.integers(0, 0x3FFF), st.integers(0, 2**32 - 1)), max_size=40),
       st.binary(max_size=3))
def test_u32s_agrees_with_u32_one_by_one(values: list[int], tail: bytes) -> None:
    data = b"".join(encode_unsigned(v) for v in values) + tail
    assert _read_all(data, len(values)) == _read_each(data, len(values)) \
        == (tuple(values), len(data) - len(tail))


@given(st.binary(max_size=24), st.integers(0, 12), st.integers(0, 24))
def test_u32s_fails_where_u32_fails(data: bytes, count: int, end: int) -> None:
    # malformed, too long, too large and truncated values (``end`` cuts the input short:
    # a two-byte value may straddle it), each at the same place with the same message
    end = min(end, len(data))
    assert _read_all(data, count, end) == _read_each(data, count, end)
