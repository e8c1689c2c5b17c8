"""LinearMemory: sizes, growth, bounds, and bulk operations against a bytearray model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wasmem.errors import ResourceLimitError
from wasmem.memory.linear import PAGE_SIZE, LinearMemory, OutOfBounds
from wasmem.syntax.types import I64, Limits, MemoryType


def memory(minimum: int = 1, maximum: int | None = None, **kw: object) -> LinearMemory:
    return LinearMemory(MemoryType(Limits(minimum, maximum)), **kw)  # type: ignore[arg-type]


def test_grow_respects_declared_maximum_and_returns_old_size() -> None:
    m = memory(1, 3)
    assert m.grow(0) == 1
    assert m.grow(1) == 1
    assert m.grow(2) == -1  # would be 4 > 3
    assert m.grow(1) == 2
    assert m.pages == 3
    assert m.grow(1) == -1


def test_grow_respects_host_cap_and_32_bit_limit() -> None:
    assert memory(1, None, max_pages_cap=2).grow(2) == -1
    assert memory(0).grow(65537) == -1
    with pytest.raises(ResourceLimitError, match="max_memory_pages=2"):
        memory(5, None, max_pages_cap=2)


def test_new_pages_are_zero_and_old_bytes_survive_growth() -> None:
    m = memory(1, 10)
    m.write(PAGE_SIZE - 4, b"abcd")
    assert m.grow(3) == 1
    assert m.read(PAGE_SIZE - 4, 4) == b"abcd"
    assert m.read(PAGE_SIZE, 3 * PAGE_SIZE) == bytes(3 * PAGE_SIZE)


def test_zero_page_memory_grows() -> None:
    m = memory(0, 2)
    with pytest.raises(OutOfBounds):
        m.read(0, 1)
    assert m.grow(1) == 0
    m.write(0, b"x")
    assert m.read(0, 1) == b"x"


def test_large_initial_memory_is_a_reserved_mapping() -> None:
    pages = 1024
    m = memory(pages, pages + 2)
    assert type(m.data).__name__ == "memoryview"
    assert m.reserved_bytes >= (pages + 2) * PAGE_SIZE
    m.write(m.size_bytes - 1, b"\x07")
    assert m.grow(1) == pages
    assert m.read(m.size_bytes - PAGE_SIZE - 1, 2) == b"\x07\x00"


def test_views_follow_growth() -> None:
    m = memory(1, 4)
    namespace: dict[str, object] = {}
    m.bind_view(namespace, "V", "I")
    namespace["V"][1] = 0xDEADBEEF  # type: ignore[index]
    assert m.grow(1) == 1
    view = namespace["V"]
    assert len(view) == 2 * PAGE_SIZE // 4  # type: ignore[arg-type]
    assert view[1] == 0xDEADBEEF  # type: ignore[index]


def test_memory64_type() -> None:
    m = LinearMemory(MemoryType(Limits(1, None), I64))
    assert m.is64
    assert m.grow(1) == 1


@pytest.mark.parametrize("address,length", [(PAGE_SIZE, 1), (PAGE_SIZE - 1, 2), (2**64, 1)],
                         ids=["at-end", "straddling", "huge"])
def test_out_of_bounds_access_writes_nothing(address: int, length: int) -> None:
    m = memory(1)
    with pytest.raises(OutOfBounds) as info:
        m.write(address, b"\xff" * length)
    assert info.value.message == "out of bounds memory access"
    assert m.read(PAGE_SIZE - 2, 2) == b"\0\0"


SIZE = 2 * PAGE_SIZE
addresses = st.integers(0, SIZE + 16)
lengths = st.integers(0, 4096)


@settings(max_examples=200, deadline=None)
@given(d=addresses, s=addresses, n=lengths, seed=st.binary(min_size=64, max_size=64))
def test_copy_matches_memmove_model(d: int, s: int, n: int, seed: bytes) -> None:
    m = memory(2)
    model = bytearray(SIZE)
    pattern = (seed * (SIZE // 64 + 1))[:SIZE]
    m.write(0, pattern)
    model[:] = pattern
    if d + n > SIZE or s + n > SIZE:
        with pytest.raises(OutOfBounds):
            m.copy(d, s, n)
    else:
        m.copy(d, s, n)
        model[d:d + n] = bytes(model[s:s + n])
    assert m.read(0, SIZE) == bytes(model)


@settings(max_examples=200, deadline=None)
@given(d=addresses, value=st.integers(0, 0xFFFFFFFF), n=lengths)
def test_fill_matches_model(d: int, value: int, n: int) -> None:
    m = memory(2)
    model = bytearray(SIZE)
    if d + n > SIZE:
        with pytest.raises(OutOfBounds):
            m.fill(d, value, n)
    else:
        m.fill(d, value, n)
        model[d:d + n] = bytes([value & 0xFF]) * n
    assert m.read(0, SIZE) == bytes(model)


@settings(max_examples=200, deadline=None)
@given(d=addresses, segment=st.binary(max_size=300), offset=st.integers(0, 320),
       n=st.integers(0, 320))
def test_init_matches_model(d: int, segment: bytes, offset: int, n: int) -> None:
    m = memory(2)
    model = bytearray(SIZE)
    if offset + n > len(segment) or d + n > SIZE:
        with pytest.raises(OutOfBounds):
            m.init(d, segment, offset, n)
    else:
        m.init(d, segment, offset, n)
        model[d:d + n] = segment[offset:offset + n]
    assert m.read(0, SIZE) == bytes(model)


def test_copy_between_memories() -> None:
    a, b = memory(1), memory(1)
    b.write(10, b"hello")
    a.copy(100, 10, 5, b)
    assert a.read(100, 5) == b"hello"
    with pytest.raises(OutOfBounds):
        a.copy(0, PAGE_SIZE - 2, 5, b)


@pytest.mark.parametrize("length", [4096, 65_536, 70_000, 131_072, 200_001])
@pytest.mark.parametrize("shift", [-3, 0, 5])
def test_large_fill_and_overlapping_copy_then_grow(length: int, shift: int) -> None:
    """The long paths (a fill in chunks of one pattern, memoryview memmove) match slice
    semantics and leave the memory growable (no buffer export survives the call)."""
    memory = LinearMemory(MemoryType(Limits(4)))
    reference = bytearray(4 * 65536)
    memory.fill(1000, 0x1AB, length)
    reference[1000:1000 + length] = b"\xab" * length
    memory.write(50, bytes(range(256)) * 4)
    reference[50:50 + 1024] = bytes(range(256)) * 4
    memory.copy(2000 + shift, 2000, length)
    reference[2000 + shift:2000 + shift + length] = reference[2000:2000 + length]
    assert memory.read(0, len(reference)) == bytes(reference)
    assert memory.grow(1) == 4
