"""Linear memory as an address-space reservation: growth, views, atomicity, raw writes."""

from __future__ import annotations

import array
import sys
from typing import Any

import pytest

from wasmem.errors import InvocationError
from wasmem.memory import linear
from wasmem.memory.linear import PAGE_SIZE, LinearMemory, OutOfBounds
from wasmem.syntax.types import I32, Limits, MemoryType


def memory(minimum: int, maximum: int | None = None) -> LinearMemory:
    return LinearMemory(MemoryType(Limits(minimum, maximum), I32))


def rss_kib() -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def test_views_stay_valid_and_never_block_growth() -> None:
    m = memory(1, 10)
    held = memoryview(m.data)  # a host view: used to make grow return -1
    cast = m.buffer().cast("I")
    held[4] = 9
    assert m.grow(2) == 1
    assert m.pages == 3 and len(held) == PAGE_SIZE  # keeps its length, still valid
    m.write(5, b"\x07")
    assert held[5] == 7 and cast[1] == 0x0709  # same bytes, no copy
    assert m.read(3 * PAGE_SIZE - 1, 1) == b"\x00"


def test_growing_to_4_gib_of_untouched_pages_costs_no_ram() -> None:
    before = rss_kib()
    if before is None:
        pytest.skip("no /proc/self/status on this platform")
    m = memory(1)
    assert m.grow(65535 - 1) == 1
    m.write(m.size_bytes - 4, b"abcd")
    assert m.read(m.size_bytes - 4, 4) == b"abcd"
    after = rss_kib()
    assert after is not None and after - before < 64 * 1024  # far below 4 GiB


def test_grow_is_atomic_under_recursion_error() -> None:
    """An exception anywhere inside grow (here RecursionError at the Python depth limit,
    as at the Wasm call-depth limit) leaves the memory consistent and usable."""
    m = memory(1, 1000)
    namespace: dict[str, Any] = {}
    m.bind(namespace, "M")
    m.bind_view(namespace, "V", "I")
    old_limit = sys.getrecursionlimit()

    def recurse(depth: int) -> int:
        return recurse(depth - 1) if depth else m.grow(1)

    outcomes = set()
    try:
        sys.setrecursionlimit(120)
        for depth in range(40, 130):
            try:
                recurse(depth)
                outcomes.add("grew")
            except RecursionError:
                outcomes.add("exhausted")
    finally:
        sys.setrecursionlimit(old_limit)
    assert outcomes == {"grew", "exhausted"}
    size = m.size_bytes
    assert namespace["M"] is m.data and len(namespace["V"]) * 4 == size
    m.write(size - 1, b"\x01")
    assert namespace["M"][size - 1] == 1
    assert m.grow(1) == size // PAGE_SIZE


@pytest.mark.parametrize("values, expected", [
    pytest.param(array.array("i", [1, -1]), b"\x01\0\0\0\xff\xff\xff\xff", id="array-i"),
    pytest.param(array.array("d", [1.0]), b"\0\0\0\0\0\0\xf0?", id="array-d"),
    pytest.param(memoryview(bytes(range(8)))[::2], bytes([0, 2, 4, 6]), id="strided"),
    pytest.param(memoryview(bytes(range(6))).cast("B", (2, 3)), bytes(range(6)), id="2d"),
    pytest.param([1, 2, 255], b"\x01\x02\xff", id="list"),
])
def test_write_takes_raw_bytes_of_any_buffer(values: Any, expected: bytes) -> None:
    m = memory(1, 1)
    m.write(100, values)
    assert m.size_bytes == PAGE_SIZE
    assert m.read(100, len(expected)) == expected


def test_write_is_bounds_checked_by_bytes_not_items() -> None:
    m = memory(1)
    with pytest.raises(OutOfBounds) as info:
        m.write(PAGE_SIZE - 8, array.array("i", range(10)))
    assert (info.value.address, info.value.length, info.value.size) == \
        (PAGE_SIZE - 8, 40, PAGE_SIZE)
    assert m.size_bytes == PAGE_SIZE and m.read(PAGE_SIZE - 8, 8) == bytes(8)


@pytest.mark.parametrize("bad", ["text", 5, 1.5, None, [256]])
def test_write_refuses_what_is_not_bytes(bad: Any) -> None:
    with pytest.raises(InvocationError):
        memory(1).write(0, bad)


@pytest.mark.parametrize("call", [
    pytest.param(lambda m: m.copy(0, -5, 10), id="copy-negative-source"),
    pytest.param(lambda m: m.copy(-1, 0, 10), id="copy-negative-destination"),
    pytest.param(lambda m: m.copy(0, 0, -1), id="copy-negative-length"),
    pytest.param(lambda m: m.fill(-3, 1, 2), id="fill-negative"),
    pytest.param(lambda m: m.read(-1, 2), id="read-negative"),
    pytest.param(lambda m: m.write(-1, b"ab"), id="write-negative"),
    pytest.param(lambda m: m.init(0, b"abc", -1, 2), id="init-negative"),
])
def test_internal_api_refuses_negative_arguments(call: Any) -> None:
    m = memory(1)
    m.write(0, bytes(range(32)))
    with pytest.raises(OutOfBounds):
        call(m)
    assert m.size_bytes == PAGE_SIZE and m.read(0, 32) == bytes(range(32))


@pytest.mark.parametrize("call", [
    pytest.param(lambda m: m.grow(1.5), id="grow"),
    pytest.param(lambda m: m.read(1.5, 1), id="read"),
    pytest.param(lambda m: m.copy(0, 1.5, 1), id="copy"),
    pytest.param(lambda m: m.fill(0, 1, "2"), id="fill"),
    pytest.param(lambda m: m.read_into(0, b"readonly"), id="read_into-readonly"),
])
def test_internal_api_refuses_non_integers(call: Any) -> None:
    with pytest.raises(InvocationError):
        call(memory(1, 2))


def test_fallback_without_mmap_moves_on_growth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linear, "mmap", None)
    m = memory(1, 4)
    namespace: dict[str, Any] = {}
    m.bind(namespace, "M")
    m.write(10, b"kept")
    old = m.buffer()
    assert m.grow(2) == 1
    assert isinstance(m._store, bytearray)
    assert namespace["M"] is m.data and m.read(10, 4) == b"kept"
    assert bytes(old[10:14]) == b"kept"  # an old view still reads its (old) bytes
    assert m.grow(2) == -1 and m.pages == 3


def test_fixed_size_memory_is_a_bytearray() -> None:
    m = memory(2, 2)
    assert isinstance(m.data, bytearray)
    held = m.buffer()
    assert m.grow(1) == -1 and m.grow(0) == 2
    held[0] = 1
    assert m.read(0, 1) == b"\x01"


def test_a_big_fixed_size_memory_commits_only_touched_pages() -> None:
    # (memory 65536 65536): a bytearray would zero-fill (commit) 4 GiB at instantiation
    before = rss_kib()
    if before is None:
        pytest.skip("no /proc/self/status on this platform")
    m = memory(65536, 65536)
    m.write(m.size_bytes - 4, b"abcd")
    assert m.read(m.size_bytes - 4, 4) == b"abcd" and m.read(0, 4) == bytes(4)
    assert m.grow(1) == -1 and m.grow(0) == 65536
    after = rss_kib()
    assert after is not None and after - before < 64 * 1024  # far below 4 GiB


def test_struct_bytes_field_takes_raw_bytes_and_refuses_ints() -> None:
    from wasmem.memory.views import Struct

    layout = Struct([("tag", "bytes", 4), ("n", "i32")])
    m = memory(1)
    layout.write(m, 0, {"tag": memoryview(b"abcdefgh")[::2], "n": -2})
    assert m.read(0, 8) == b"aceg\xfe\xff\xff\xff"
    with pytest.raises(InvocationError):
        layout.write(m, 0, {"tag": 4})  # bytes(4) would be four zero bytes
    with pytest.raises(InvocationError):
        layout.write(m, 0, {"n": 1 << 40})
    assert m.read(0, 8) == b"aceg\xfe\xff\xff\xff"


def test_refused_reservation_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under an address-space limit (``ulimit -v``) large mappings fail: the memory maps
    what it needs now, then moves to a plain buffer when it outgrows that."""
    import mmap as real_mmap
    import types

    def limited(fd: int, length: int, **kwargs: Any) -> real_mmap.mmap:
        if length > 2 * PAGE_SIZE:
            raise OSError(12, "Cannot allocate memory")
        return real_mmap.mmap(fd, length, **kwargs)

    fake = types.SimpleNamespace(mmap=limited, MAP_PRIVATE=real_mmap.MAP_PRIVATE,
                                 MAP_ANONYMOUS=real_mmap.MAP_ANONYMOUS)
    monkeypatch.setattr(linear, "mmap", fake)
    m = memory(1, 1000)
    assert m.reserved_bytes == PAGE_SIZE
    m.write(0, b"first")
    assert m.grow(3) == 1 and m.pages == 4
    assert m.read(0, 5) == b"first" and m.read(4 * PAGE_SIZE - 1, 1) == b"\0"
    assert m.reserved_bytes == 6 * PAGE_SIZE  # headroom: page-by-page growth stays linear
    assert m.grow(1) == 4 and m.grow(1) == 5 and m.reserved_bytes == 6 * PAGE_SIZE
    assert m.read(0, 5) == b"first"
