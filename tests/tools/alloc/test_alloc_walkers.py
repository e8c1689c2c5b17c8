"""Heap walkers: blocks and statistics of healthy heaps, and ``Heap.check`` naming the
first corrupt block of heaps damaged on purpose."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import wasmem
from wasmem.tools.alloc import ALLOCATORS, NAMES, HeapError, detect, load, walk

ALL = pytest.mark.parametrize("name", NAMES)


def fragmented(name: str) -> tuple[wasmem.Exports, list[int]]:
    e = wasmem.Instance(load(name)).exports
    pointers = [e.malloc(n) for n in (24, 100, 40, 300, 24, 5000, 64)]
    for p in pointers[1::2]:
        e.free(p)
    return e, pointers


def put(e: wasmem.Exports, address: int, value: int) -> None:
    e.memory.write(address, (value & 0xFFFFFFFF).to_bytes(4, "little"))


def get(e: wasmem.Exports, address: int) -> int:
    return int.from_bytes(e.memory.read(address, 4), "little")


@ALL
def test_detects_and_walks_a_healthy_heap(name: str) -> None:
    e, pointers = fragmented(name)
    assert detect(e) == name and name in ALLOCATORS
    heap = walk(e)
    heap.check()
    live = {b.payload_start for b in heap.blocks if b.in_use}
    assert live == set(pointers[0::2])
    for block in heap.blocks:
        assert block.address <= block.payload_start <= block.payload_end <= block.end
    s = heap.stats
    assert s.in_use >= 24 + 40 + 24 + 64
    assert s.arena == s.in_use + s.free + s.overhead
    assert 0 <= s.fragmentation < 1 and s.largest_free <= s.free
    assert s.used_blocks == 4
    assert "fragmentation" in heap.describe()


def test_stats_of_a_known_freelist_heap() -> None:
    e = wasmem.Instance(load("freelist")).exports
    a = e.malloc(100)
    heap = walk(e)
    assert [(b.address, b.size, b.in_use) for b in heap.blocks] == [
        (a - 8, 112, True), (a + 104, 65536 - 1024 - 112, False)]
    s = heap.stats
    assert (s.in_use, s.free, s.overhead, s.largest_free, s.fragmentation) == (
        100, 65536 - 1024 - 112, 12, 65536 - 1024 - 112, 0.0)
    assert heap.free_lists == {"free": [a + 104]}


@pytest.mark.parametrize("name", ["freelist", "freelist-best", "tlsf"])
def test_boundary_tag_corruptions(name: str) -> None:
    e, pointers = fragmented(name)
    block = pointers[2] - 8
    put(e, block, 7)
    with pytest.raises(HeapError, match=f"block at 0x{block:x} has a bad size"):
        walk(e).check()
    e, pointers = fragmented(name)
    block = pointers[2] - 8
    put(e, block + (get(e, block) & ~7) - 4, 0)  # its footer
    with pytest.raises(HeapError, match="footer"):
        walk(e).check()


def test_freelist_missing_block_cycle_and_unmerged_neighbours() -> None:
    e, _ = fragmented("freelist")
    head = e.free_head.value
    e.free_head.value = get(e, head + 8)
    put(e, e.free_head.value + 12, 0)
    with pytest.raises(HeapError, match=f"free block at 0x{head:x} .* missing from its free"):
        walk(e).check()
    e, _ = fragmented("freelist")
    head = e.free_head.value
    put(e, get(e, head + 8) + 8, head)
    with pytest.raises(HeapError, match=r"loops back|back link"):
        walk(e).check()
    e = wasmem.Instance(load("freelist")).exports
    a = e.malloc(100)
    e.free(a)
    block = a - 8  # one free block: cut it in two free blocks, both listed
    size = get(e, block)
    for address, length in ((block, 48), (block + 48, size - 48)):
        put(e, address, length)
        put(e, address + length - 4, length)
    put(e, block + 8, block + 48)
    put(e, block + 48 + 8, 0)
    put(e, block + 48 + 12, block)
    with pytest.raises(HeapError, match="neighbours but were not merged"):
        walk(e).check()


def test_heap_outside_memory() -> None:
    e, _ = fragmented("freelist")
    e.heap_end.value = e.memory.size_bytes + 0x10000
    with pytest.raises(HeapError, match="not inside memory"):
        walk(e).check()


def test_tlsf_bitmap_disagreeing_with_lists() -> None:
    e, _ = fragmented("tlsf")
    e.fl_bitmap.value = 0
    with pytest.raises(HeapError, match="first-level bit"):
        walk(e).check()


def test_buddy_unmerged_buddies_and_wrong_list() -> None:
    e = wasmem.Instance(load("buddy")).exports
    a, b = e.malloc(8), e.malloc(8)
    assert b - a == 16
    e.free(a)
    put(e, b - 8, 4)  # b's header says "free, order 4" without going through free
    put(e, b - 4, 0)
    with pytest.raises(HeapError,
                       match=r"free buddies at 0x[0-9a-f]+ and 0x[0-9a-f]+ \(order 4\) were not"):
        walk(e).check()


def test_pools_double_listed_block_and_bad_span() -> None:
    e = wasmem.Instance(load("pools")).exports
    a, b = e.malloc(16), e.malloc(16)
    e.free(a)
    put(e, a, b)  # the free list now runs into b, which is in use
    with pytest.raises(HeapError, match="in use"):
        walk(e).check()
    span = a & ~0xFFFF
    put(e, span + 8, 0)
    with pytest.raises(HeapError, match=f"span at 0x{span:x} has a bad header"):
        walk(e).check()


def test_bump_free_top_block_and_broken_chain() -> None:
    e = wasmem.Instance(load("bump")).exports
    a, b = e.malloc(8), e.malloc(8)
    put(e, b - 8, get(e, b - 8) & ~1)
    with pytest.raises(HeapError, match="topmost block"):
        walk(e).check()
    put(e, b - 8, get(e, b - 8) | 1)
    put(e, b - 4, 999)
    with pytest.raises(HeapError, match=f"block at 0x{b - 8:x} records"):
        walk(e).check()
    del a


def test_walk_needs_a_known_allocator() -> None:
    plain = wasmem.Instance(wasmem.Module('(module (memory (export "memory") 1))'))
    with pytest.raises(HeapError, match="cannot tell"):
        walk(plain)
    with pytest.raises(HeapError, match="unknown allocator"):
        walk(plain, "jemalloc")
    with pytest.raises(HeapError, match="exported memory"):
        walk(wasmem.Instance(wasmem.Module("(module)")))


@pytest.mark.parametrize("name", [*NAMES, "dlmalloc"])
def test_walkers_survive_random_corruption(name: str) -> None:
    """Scribbling over heap bytes never makes a walker crash or hang: it records problems
    (or raises HeapError)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    if name == "dlmalloc":
        program = Path(__file__).parent / "programs" / "fragment-libc.wasm"
        instance = wasmem.Instance(wasmem.Module.from_file(program))
        instance.exports._initialize()
        instance.exports.run(3, 200)
        e = instance.exports
    else:
        e, _ = fragmented(name)
    heap = walk(e, name)
    low, high = heap.start, max(heap.end, heap.start + 64)
    if name == "dlmalloc":
        low = 0  # its state lives in static data
    pristine = e.memory.read(0, e.memory.size_bytes)

    @settings(max_examples=int(os.environ.get("WASMEM_ALLOC_EXAMPLES", "30")), deadline=None,
              database=None)
    @given(st.lists(st.tuples(st.integers(low, high - 4), st.integers(0, 0xFFFFFFFF)),
                    min_size=1, max_size=4))
    def scribble(writes: list[tuple[int, int]]) -> None:
        e.memory.write(0, pristine)
        for address, value in writes:
            e.memory.write(address - address % 4, value.to_bytes(4, "little"))
        try:
            walk(e, name).check()
        except HeapError:
            pass

    scribble()
