"""The allocators of §5.5 (examples 11 and 12) and their Python walkers (wasmem.tools.alloc)."""

from __future__ import annotations

import random

import pytest
from _chapter5 import load
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.tools.alloc import (
    POOLS,
    HeapError,
    PoolError,
    check_heap,
    describe_heap,
    pool_free_list,
    pool_usage,
    walk_heap,
)
from wasmem.tools.alloc.freelist import HEAP_END, HEAP_START, free_list

WHOLE_HEAP = HEAP_END - HEAP_START


def heap() -> wasmem.Exports:
    e = load("11-heap-allocator").exports
    e["init_heap"]()
    return e


def stats(e: wasmem.Exports) -> tuple[int, int]:
    e["heap_stats"](0x10, 0x14)
    return e["memory"].u32[0x10], e["memory"].u32[0x14]


# ------------------------------------------------------------------ free list (5.5.1)
def test_init_heap_makes_one_free_block() -> None:
    e = heap()
    assert stats(e) == (WHOLE_HEAP, 1)
    assert walk_heap(e["memory"]) == [wasmem.tools.alloc.HeapBlock(HEAP_START, WHOLE_HEAP, False)]
    assert e["memory"].read(HEAP_START, 8) == WHOLE_HEAP.to_bytes(4, "little") + bytes(4)


def test_alloc_rounds_to_8_and_splits() -> None:
    e = heap()
    pointers = [e["heap_alloc"](size) for size in (1, 8, 9, 0, 100)]
    assert pointers == [0x1008, 0x1018, 0x1028, 0x1040, 0x1050]
    blocks = walk_heap(e["memory"])
    assert [(b.size, b.used) for b in blocks[:5]] == [(16, True), (16, True), (24, True),
                                                      (16, True), (112, True)]
    assert e["memory"].read(0x1000, 8) == bytes.fromhex("11000000 00000000")  # 16 | used
    assert stats(e) == (WHOLE_HEAP - 184, 1)
    assert all(p % 8 == 0 for p in pointers)


def test_free_coalesces_with_both_neighbours() -> None:
    e = heap()
    a, b, c = e["heap_alloc"](10), e["heap_alloc"](100), e["heap_alloc"](24)
    e["heap_free"](a)
    assert stats(e) == (WHOLE_HEAP - 112 - 32, 2)
    e["heap_free"](c)  # merges with the free space after it
    assert stats(e) == (WHOLE_HEAP - 112, 2)
    e["heap_free"](b)  # merges with both: one block again
    assert stats(e) == (WHOLE_HEAP, 1)
    assert check_heap(e["memory"], e["free_list"].value).free_blocks == 1


def test_freed_block_is_reused_first_fit() -> None:
    e = heap()
    a = e["heap_alloc"](64)
    e["heap_alloc"](8)
    e["heap_free"](a)
    assert e["heap_alloc"](40) == a  # first fit: the hole at the start
    assert e["heap_alloc"](8) != a


def test_exhaustion_and_limits() -> None:
    e = heap()
    assert e["heap_alloc"](WHOLE_HEAP) == 0           # no room for the header
    assert e["heap_alloc"](-1) == 0                    # 0xFFFFFFFF: no wrap-around
    big = e["heap_alloc"](WHOLE_HEAP - 8)
    assert big == HEAP_START + 8
    assert stats(e) == (0, 0)
    assert e["heap_alloc"](1) == 0
    e["heap_free"](big)
    assert stats(e) == (WHOLE_HEAP, 1)


def test_alloc_before_init_returns_null() -> None:
    e = load("11-heap-allocator").exports
    assert e["heap_alloc"](8) == 0
    e["heap_stats"](0x10, 0x14)
    assert e["memory"].read(0x10, 8) == bytes(8)


@pytest.mark.parametrize("pointer", [0x1008, 0x1009, 0x10, 0xF000], ids=hex)
def test_bad_free_traps(pointer: int) -> None:
    e = heap()
    a = e["heap_alloc"](8)
    assert a == 0x1008
    e["heap_free"](0)  # free(NULL) does nothing
    if pointer == a:
        e["heap_free"](a)  # the second free of a is the error
    with pytest.raises(wasmem.Trap, match="unreachable"):
        e["heap_free"](pointer)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 3000), st.integers(0, 1 << 30)),
                max_size=60))
def test_random_alloc_free_keeps_heap_invariants(operations: list[tuple[bool, int, int]]) -> None:
    e = heap()
    memory = e["memory"]
    live: dict[int, int] = {}
    for allocate, size, pick in operations:
        if allocate or not live:
            pointer = e["heap_alloc"](size)
            if pointer:
                assert pointer % 8 == 0 and HEAP_START < pointer < HEAP_END
                for other, other_size in live.items():  # no overlap with live blocks
                    assert pointer + size <= other or other + other_size <= pointer
                live[pointer] = size
        else:
            pointer = sorted(live)[pick % len(live)]
            del live[pointer]
            e["heap_free"](pointer)
        checked = check_heap(memory, e["free_list"].value)
        assert checked.used_blocks == len(live)
        assert stats(e) == (checked.free_bytes, checked.free_blocks)
    for pointer in list(live):
        e["heap_free"](pointer)
    assert stats(e) == (WHOLE_HEAP, 1)


def test_walker_reports_corruption() -> None:
    e = heap()
    memory = e["memory"]
    a, b = e["heap_alloc"](8), e["heap_alloc"](8)
    e["heap_free"](a)
    memory.write(a - 4, (b - 8).to_bytes(4, "little"))  # a's next -> a used block
    with pytest.raises(HeapError, match="does not match"):
        check_heap(memory, e["free_list"].value)
    memory.write(a - 4, (a - 8).to_bytes(4, "little"))  # a cycle
    with pytest.raises(HeapError, match="cycle"):
        free_list(memory, e["free_list"].value)
    with pytest.raises(HeapError, match="init_heap"):
        walk_heap(load("11-heap-allocator").exports["memory"])
    assert "used" in describe_heap(walk_heap(memory))


# ------------------------------------------------------------------ pools (5.5.2)
def pools() -> wasmem.Exports:
    e = load("12-pool-allocator").exports
    e["init_pools"]()
    return e


def free_counts(e: wasmem.Exports) -> list[int]:
    return [e["pool_stats"](size) for size in (16, 32, 64)]


def test_init_pools_links_every_block() -> None:
    e = pools()
    assert free_counts(e) == [128, 64, 32]
    assert e["pool_stats"](48) == 0
    memory = e["memory"]
    for pool in POOLS:
        head = e[f"pool_{pool.block_size}_free_head"].value
        assert pool_free_list(memory, pool, head) == \
            [pool.start + k * pool.block_size for k in range(pool.count)]
    assert memory.read(0x2000, 8) == bytes.fromhex("10200000 00000000")
    assert memory.read(0x27F0, 4) == bytes(4)  # the last block ends the list


def test_pool_alloc_picks_the_smallest_pool_with_room() -> None:
    e = pools()
    assert [e["pool_alloc"](s) for s in (0, 16, 17, 32, 33, 64)] == \
        [0x2000, 0x2010, 0x4000, 0x4020, 0x6000, 0x6040]
    assert e["pool_alloc"](65) == 0
    assert free_counts(e) == [126, 62, 30]
    for _ in range(126):
        e["pool_alloc"](16)
    assert e["pool_alloc"](16) == 0x4040  # 16-byte pool empty: falls back to 32
    assert free_counts(e) == [0, 61, 30]


def test_pool_free_uses_the_address_not_the_size() -> None:
    e = pools()
    for _ in range(128):
        e["pool_alloc"](8)
    spill = e["pool_alloc"](8)  # from the 32-byte pool
    assert spill == 0x4000
    e["pool_free"](spill, 8)    # the printed listing put it in the 16-byte pool
    assert free_counts(e) == [0, 64, 32]
    e["pool_free"](0x2010, 16)
    assert free_counts(e) == [1, 64, 32]
    assert e["pool_alloc"](16) == 0x2010


@pytest.mark.parametrize("pointer", [0x2008, 0x1000, 0x2800, 0x4010], ids=hex)
def test_pool_free_rejects_foreign_pointers(pointer: int) -> None:
    e = pools()
    e["pool_free"](0, 16)  # NULL: nothing
    with pytest.raises(wasmem.Trap, match="unreachable"):
        e["pool_free"](pointer, 16)


def test_pool_double_free_traps_and_stats_terminate() -> None:
    e = pools()
    a = e["pool_alloc"](16)
    e["pool_free"](a, 16)
    with pytest.raises(wasmem.Trap, match="unreachable"):
        e["pool_free"](a, 16)
    assert free_counts(e) == [128, 64, 32]
    # a corrupted (cyclic) list still gives an answer: at most the pool's block count
    e["memory"].write(0x2010, (0x2000).to_bytes(4, "little"))
    assert e["pool_stats"](16) == 128
    with pytest.raises(PoolError, match="loops"):
        pool_free_list(e["memory"], POOLS[0], e["pool_16_free_head"].value)


def test_pool_random_use_matches_a_model() -> None:
    rng = random.Random(5)
    e = pools()
    live: dict[int, int] = {}
    for _ in range(300):
        if live and rng.random() < 0.45:
            pointer = rng.choice(sorted(live))
            e["pool_free"](pointer, live.pop(pointer))
        else:
            size = rng.randint(1, 64)
            pointer = e["pool_alloc"](size)
            if pointer:
                pool = next(p for p in POOLS if p.owns(pointer))
                assert pool.block_size >= size and pointer not in live
                live[pointer] = size
    used = [sum(1 for p in live if pool.owns(p)) for pool in POOLS]
    assert free_counts(e) == [pool.count - n for pool, n in zip(POOLS, used)]
    picture = pool_usage(e["memory"], POOLS[0], e["pool_16_free_head"].value, width=128)
    assert picture.count("#") == used[0]
