"""Typed views, strings, structs, hexdump, memory map, snapshots and diffs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wasmem.errors import InvocationError
from wasmem.memory.inspect import Snapshot, diff, hexdump, memory_map, regions
from wasmem.memory.linear import LinearMemory, OutOfBounds
from wasmem.memory.views import Struct, TypedView, read_string, write_string
from wasmem.syntax.types import Limits, MemoryType


@pytest.fixture
def mem() -> LinearMemory:
    return LinearMemory(MemoryType(Limits(1, 2)))


@given(value=st.integers(-(2**31), 2**31 - 1), address=st.integers(0, 65532))
def test_i32_view_round_trip_little_endian(value: int, address: int) -> None:
    m = LinearMemory(MemoryType(Limits(1, 1)))
    TypedView(m, "i32")[address] = value
    assert TypedView(m, "i32")[address] == value
    assert m.read(address, 4) == value.to_bytes(4, "little", signed=True)


def test_view_slices_use_byte_addresses(mem: LinearMemory) -> None:
    view = TypedView(mem, "u16")
    view[0x10:0x18] = [1, 2, 3, 4]
    assert view[0x10:0x18] == [1, 2, 3, 4]
    assert TypedView(mem, "u8")[0x10:0x14] == [1, 0, 2, 0]
    assert TypedView(mem, "f64")[0] == 0.0
    TypedView(mem, "f32")[8] = math.inf
    assert TypedView(mem, "f32")[8] == math.inf


def test_view_bounds_and_bad_values(mem: LinearMemory) -> None:
    with pytest.raises(OutOfBounds):
        TypedView(mem, "i64")[65530]
    with pytest.raises(InvocationError):
        TypedView(mem, "u8")[0] = 300
    with pytest.raises(InvocationError):
        TypedView(mem, "i128")
    with pytest.raises(InvocationError):
        TypedView(mem, "u8")[0:4] = [1, 2]


def test_strings(mem: LinearMemory) -> None:
    assert write_string(mem, 100, "héllo") == 7
    assert read_string(mem, 100) == "héllo"
    assert read_string(mem, 100, 2) == "h\ufffd"
    mem.fill(0, 0x41, 65536)
    with pytest.raises(OutOfBounds):
        read_string(mem, 65000)  # no NUL before the end


def test_struct_layout_like_c(mem: LinearMemory) -> None:
    person = Struct([("id", "i32"), ("height", "f64"), ("age", "i32")])
    assert person.offsets == {"id": 0, "height": 8, "age": 16}
    assert person.size == 24
    person.write(mem, 0x3000, {"id": 12345, "height": 175.5, "age": 25})
    assert person.read(mem, 0x3000) == {"id": 12345, "height": 175.5, "age": 25}
    assert "height" in person.describe()
    packed = Struct([("a", "u8"), ("b", "u32"), ("name", "bytes", 5)], packed=True)
    assert packed.size == 10
    with pytest.raises(InvocationError):
        person.write(mem, 0, {"weight": 1})


def test_hexdump_format_and_clipping(mem: LinearMemory) -> None:
    mem.write(0x20, b"Hello, WebAssembly!")
    text = hexdump(mem, 0x20, 32)
    first = text.splitlines()[0]
    assert first.startswith("00000020  48 65 6c 6c 6f 2c 20 57  65 62 41 73 73 65 6d 62")
    assert first.endswith("|Hello, WebAssemb|")
    assert "(empty range" in hexdump(mem, 70000, 16)
    folded = hexdump(mem, 0, 0x100, skip_zero_lines=True)
    assert "*" in folded.splitlines()


def test_regions_and_map(mem: LinearMemory) -> None:
    mem.write(0x1000, b"data")
    mem.write(0x8000, b"more")
    used = [r for r in regions(mem) if r.used]
    assert [(r.start, r.end) for r in used] == [(0x1000, 0x1010), (0x8000, 0x8010)]
    text = memory_map(mem, labels={0x1000: "heap"})
    assert "heap" in text and "1 page(s)" in text


def test_snapshot_diff(mem: LinearMemory) -> None:
    snap = Snapshot(mem)
    mem.write(10, b"\x01\x02")
    mem.write(14, b"\x03")
    mem.write(1000, b"\x09")
    changes = diff(snap)
    assert [(c.start, c.end) for c in changes] == [(10, 15), (1000, 1001)]
    assert changes[0].after == b"\x01\x02\x00\x00\x03"
    mem.grow(1)
    mem.write(70000, b"\x05")
    assert diff(snap)[-1].before == b""
