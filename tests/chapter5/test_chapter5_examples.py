"""The corrected chapter 5 examples: every export called, results and memory bytes checked.

Each example is loaded from ``src/wasmem/examples/chapter5`` through ``wasmem.Module.from_file``
(the text parser). wasmtime checks the same behaviour in ``test_chapter5_wasmtime.py``.
"""

from __future__ import annotations

import struct

import pytest
from _chapter5 import EXAMPLES, NAMES, load

import wasmem


def test_there_is_one_example_per_listing() -> None:
    assert sorted(p.stem for p in EXAMPLES.glob("*.wat")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_example_validates_and_exports_memory(name: str) -> None:
    module = wasmem.Module.from_file(EXAMPLES / f"{name}.wat")
    assert ("memory", wasmem.syntax.ExternKind.MEMORY) in module.exports


# ------------------------------------------------------------------ 5.1
def test_01_memory_demo_stores_little_endian() -> None:
    e = load("01-memory-basics").exports
    assert e["memory_demo"](0x10, 0x12345678) is None
    assert e["memory"].read(0x10, 4) == bytes([0x78, 0x56, 0x34, 0x12])
    assert e["memory"].size == 1 and e["memory"].maximum == 10
    with pytest.raises(wasmem.Trap, match="out of bounds memory access"):
        e["memory_demo"](65534, 1)


def test_02_stack_push_pop_and_bounds() -> None:
    e = load("02-memory-layout").exports
    memory = e["memory"]
    for value in (1, 2, 3):
        e["push"](value)
    assert e["stack_ptr"].value == 0x1000 - 12
    assert memory.read(0xFF4, 12) == struct.pack("<3i", 3, 2, 1)
    assert [e["pop"](), e["pop"](), e["pop"]()] == [3, 2, 1]
    with pytest.raises(wasmem.Trap, match="unreachable"):
        e["pop"]()  # underflow into the heap now traps
    for value in range((0x1000 - 0x100) // 4):
        e["push"](value)
    assert e["stack_ptr"].value == 0x100
    with pytest.raises(wasmem.Trap, match="unreachable"):
        e["push"](-1)  # overflow into the reserved area now traps
    assert memory.read(0xFC, 4) == bytes(4)


def test_02_bump_malloc() -> None:
    e = load("02-memory-layout").exports
    assert e["malloc"](10) == 0x1000
    assert e["malloc"](1) == 0x100C
    assert e["malloc"](0) == 0x1010
    assert e["heap_ptr"].value == 0x1010
    assert e["malloc"](0x8000) == 0  # larger than what is left
    assert e["malloc"](-16) == 0     # 0xFFFFFFF0: used to wrap and return a pointer
    assert e["heap_ptr"].value == 0x1010
    assert e["malloc"](0x8000 - 0x1010) == 0x1010
    assert e["heap_ptr"].value == 0x8000
    assert e["malloc"](1) == 0


def test_03_memory_grow() -> None:
    e = load("03-memory-grow").exports
    assert e["get_memory_size"]() == 1
    assert e["grow_memory"](2) == 1
    assert e["get_memory_size"]() == 3
    assert e["ensure_memory"](3 * 65536) == 1          # already enough
    assert e["get_memory_size"]() == 3
    assert e["ensure_memory"](3 * 65536 + 1) == 1      # one more page
    assert e["get_memory_size"]() == 4
    assert e["grow_memory"](97) == 0                   # 101 > max 100
    assert e["grow_memory"](96) == 1
    assert e["get_memory_size"]() == 100
    assert e["ensure_memory"](-1) == 0                 # 4 GiB - 1: no wrap-around
    assert e["memory"].size == 100


# ------------------------------------------------------------------ 5.2
LOAD_DATA = bytes(range(1, 17)) + bytes.fromhex("80ff7ffef0debc9a8899aabbccddeeff")


def expected_loads(data: bytes, address: int) -> tuple[object, ...]:
    at = data[address:]
    u8, s8 = at[0], struct.unpack_from("<b", at)[0]
    u16, s16 = struct.unpack_from("<H", at)[0], struct.unpack_from("<h", at)[0]
    u32, s32 = struct.unpack_from("<I", at)[0], struct.unpack_from("<i", at)[0]
    s64 = struct.unpack_from("<q", at)[0]
    f32, f64 = struct.unpack_from("<f", at)[0], struct.unpack_from("<d", at)[0]
    return (u8, s8, u16, s16, s32, u8, s8, u16, s16, u32, s32, s64, f32, f64)


@pytest.mark.parametrize("address", [0, 4, 16, 17, 20, 24])
def test_04_load_operations(address: int) -> None:
    e = load("04-loads").exports
    assert e["memory"].read(0, 32) == LOAD_DATA
    assert e["load_operations"](address) == expected_loads(LOAD_DATA + bytes(16), address)


def test_04_sign_and_zero_extension_differ_on_high_bytes() -> None:
    results = load("04-loads").exports["load_operations"](16)
    assert results[:4] == (128, -128, 0xFF80, -128)


def test_05_store_operations_truncate() -> None:
    e = load("05-stores").exports
    e["store_operations"](0x100, 0x11223344)
    assert e["memory"].read(0x100, 12) == bytes.fromhex("44000000 44330000 44332211")


@pytest.mark.parametrize(("dest", "src", "size"), [
    (0x200, 0x100, 8), (0x102, 0x100, 6), (0x100, 0x102, 6), (0x100, 0x100, 4), (0x300, 0x100, 0),
], ids=["apart", "overlap-forward", "overlap-backward", "same", "empty"])
def test_05_memory_copy_matches_memmove(dest: int, src: int, size: int) -> None:
    e = load("05-stores").exports
    memory = e["memory"]
    memory.write(0x100, b"abcdefghijklmnop")
    expected = bytearray(memory.read(0, 0x400))
    expected[dest:dest + size] = expected[src:src + size]
    e["memory_copy"](dest, src, size)
    assert memory.read(0, 0x400) == bytes(expected)


def test_05_memory_fill() -> None:
    e = load("05-stores").exports
    e["memory_fill"](0x10, 0x1AB, 5)  # store8 keeps the low byte
    assert e["memory"].read(0x0F, 7) == b"\0" + b"\xab" * 5 + b"\0"
    e["memory_fill"](0x10, 7, 0)
    assert e["memory"].read(0x10, 1) == b"\xab"


def test_06_bulk_memory() -> None:
    e = load("06-bulk-memory").exports
    memory = e["memory"]
    memory.write(0x100, b"abcdefgh")
    e["fast_memory_copy"](0x102, 0x100, 6)
    assert memory.read(0x100, 8) == b"ababcdef"
    e["fast_memory_fill"](0x200, 0x41, 4)
    assert memory.read(0x1FF, 6) == b"\0AAAA\0"
    e["init_data_segment"](0x300, 0, 19)
    assert memory.read(0x300, 20) == b"Hello, bulk memory!\0"
    e["init_data_segment"](0x400, 1, 4)
    assert memory.read(0x400, 5) == b"0123\0"
    with pytest.raises(wasmem.Trap, match="out of bounds memory access"):
        e["init_data_segment"](0x500, 1, 11)  # longer than the segment
    with pytest.raises(wasmem.Trap, match="unreachable"):
        e["init_data_segment"](0x500, 2, 1)   # no segment 2
    with pytest.raises(wasmem.Trap, match="out of bounds memory access"):
        e["fast_memory_fill"](65530, 0, 7)
    assert memory.read(0x500, 1) == b"\0"


# ------------------------------------------------------------------ 5.3
def test_07_static_data() -> None:
    e = load("07-static-data").exports
    memory = e["memory"]
    assert memory.read(0x1000, 20) == b"Hello, WebAssembly!\0"
    assert memory.read(0x1020, 8) == bytes(range(1, 9))
    assert memory.read(0x1100, 17) == bytes.fromhex("1a000000 0000b442 05000000") + b"Alice"
    assert [e["get_string_char"](k) for k in range(5)] == [ord(c) for c in "Hello"]
    assert e["get_string_char"](18) == ord("!")
    assert e["get_string_char"](19) == 0 and e["get_string_char"](-1) == 0
    assert [e["fast_square"](n) for n in range(20)] == [n * n for n in range(20)]
    assert e["get_person_age"]() == 26
    assert e["get_person_height"]() == 90.0
    assert e["get_person_name_length"]() == 5


def test_08_passive_data() -> None:
    e = load("08-passive-data").exports
    memory = e["memory"]
    assert memory.read(0x3000, 80) == bytes(80)  # passive: nothing copied at start
    messages = ["Error 1: Invalid input", "Error 2: Out of memory", "Error 3: Division by zero"]
    for code, message in enumerate(messages):
        e["build_error_message"](code, 0x100 + 0x40 * code)
        assert memory.read_string(0x100 + 0x40 * code) == "Template: " + message
    assert memory.read(0x3000, 72) == b"".join(m.encode() + b"\0" for m in messages)
    assert memory.read(0x3000 + 1000, 12) == struct.pack("<3i", 0, 23, 46)
    e["init_error_system"]()  # a second call does nothing (the segments are dropped)
    with pytest.raises(wasmem.Trap, match="unreachable"):
        e["build_error_message"](3, 0x200)


# ------------------------------------------------------------------ 5.4
def test_09_alignment() -> None:
    e = load("09-alignment").exports
    memory = e["memory"]
    unaligned = struct.unpack("<i", struct.pack("<I", 0x87654321))[0]
    assert e["alignment_demo"]() == (0x12345678, unaligned, 0x123456789ABCDEF0)
    assert memory.read(0x1000, 5) == bytes.fromhex("7821436587")
    assert memory.read(0x2000, 8) == struct.pack("<Q", 0x123456789ABCDEF0)
    e["aligned_struct_demo"]()
    assert memory.read(0x3000, 24) == struct.pack("<i4xdi4x", 12345, 175.5, 25)
    assert [e["align_up"](a, 8) for a in (0, 1, 8, 13, 16)] == [0, 8, 8, 16, 16]
    assert [e["is_aligned"](a, 4) for a in (0, 2, 4, 0x1001)] == [1, 0, 1, 0]
    with pytest.raises(wasmem.Trap, match="integer divide by zero"):
        e["is_aligned"](4, 0)


@pytest.mark.parametrize("length", [0, 1, 3, 4, 5, 8, 10, 33])
def test_10_performance(length: int) -> None:
    e = load("10-performance").exports
    memory = e["memory"]
    a = [(k * 7919) % 1000 - 500 for k in range(length)]
    b = [k * k for k in range(length)]
    memory.write(0x1000, struct.pack(f"<{length}i", *a))
    memory.write(0x2000, struct.pack(f"<{length}i", *b))
    memory.write(0x3000 + 4 * length, b"\x5a" * 4)  # must stay untouched
    assert e["cache_friendly_sum"](0x1000, length) == sum(a)
    assert e["prefetch_demo"](0x1000, length) == sum(a)
    e["vectorized_add"](0x1000, 0x2000, 0x3000, length)
    assert memory.read(0x3000, 4 * length + 4) == \
        struct.pack(f"<{length}i", *(x + y for x, y in zip(a, b))) + b"\x5a" * 4
